// A stored image as a GDQA variant posed it: the image transforms (shift, crop, brightness, contrast, flip) are
// applied on a canvas with the trainer's own CPU code (augment/image-transforms.ts), so what is shown is what
// the policy saw, not a CSS imitation. Without transforms it is the plain image.
import { useEffect, useRef, useState } from 'react';
import { applyImageTransforms, type ImageTransform } from '../../../augment/image-transforms.ts';

interface Props {
  /** Blob URL of the stored image; undefined while it loads. */
  src: string | undefined;
  transforms: readonly ImageTransform[];
  alt: string;
  /** Shown when there is no image at all. */
  missing: string;
}

export function TransformedImage({ src, transforms, alt, missing }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  const key = JSON.stringify(transforms);
  useEffect(() => {
    if (!src || transforms.length === 0) return;
    let live = true;
    const img = new Image();
    img.onload = () => {
      const c = canvas.current;
      const ctx = c?.getContext('2d');
      if (!live || !c || !ctx) return;
      const w = img.naturalWidth, h = img.naturalHeight;
      c.width = w;
      c.height = h;
      ctx.drawImage(img, 0, 0);
      const rgba = ctx.getImageData(0, 0, w, h);
      const rgb = new Uint8Array(w * h * 3);
      for (let i = 0; i < w * h; i++) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = rgba.data[i * 4 + k];
      const out = applyImageTransforms({ width: w, height: h, data: rgb }, transforms).data;
      for (let i = 0; i < w * h; i++) {
        for (let k = 0; k < 3; k++) rgba.data[i * 4 + k] = out[i * 3 + k];
        rgba.data[i * 4 + 3] = 255;
      }
      ctx.putImageData(rgba, 0, 0);
    };
    img.onerror = () => live && setFailed(true);
    img.src = src;
    return () => {
      live = false;
    };
    // `key` stands for the transforms' content: a new array with the same transforms does not redraw.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [src, key]);
  if (!src) return <div className="aug-img aug-noimg muted">{missing}</div>;
  if (failed) return <div className="aug-img aug-noimg muted">image unreadable</div>;
  if (transforms.length === 0) return <img className="aug-img" src={src} alt={alt} />;
  return <canvas ref={canvas} className="aug-img" role="img" aria-label={alt} data-testid="aug-live-transformed" />;
}
