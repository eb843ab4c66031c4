// The link for one run: built with encodeRunUrl (curves thinned to fit), shown in a read-only field with
// Copy and its size, and every detail the link leaves out said in words.
import { useMemo, useRef, useState } from 'react';
import type { RunRecord } from '../../../runs/record.ts';
import { encodeRunUrl, type ShareEncodeResult } from '../../../share/codec.ts';
import { formatBytes } from '../../widgets/format.ts';

/** The page's own address without its fragment: where the link opens. */
const shareBase = (): string => location.href.replace(/#.*$/, '');

export function SharePane({ run, onClose }: { run: RunRecord; onClose: () => void }) {
  const built = useMemo((): { ok: true; result: ShareEncodeResult } | { ok: false; message: string } => {
    try {
      return { ok: true, result: encodeRunUrl(run, { base: shareBase() }) };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }, [run]);
  const field = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'refused'>('idle');

  if (!built.ok) {
    return (
      <div className="runs-share" data-testid="share-pane">
        <p className="runs-alert error" role="alert">This run cannot be shared: {built.message}</p>
        <button onClick={onClose}>Close</button>
      </div>
    );
  }
  const { url, bytes, dropped, withinBudget } = built.result;
  const onCopy = async () => {
    field.current?.select();
    try {
      await navigator.clipboard.writeText(url);
      setCopy('copied');
    } catch {
      setCopy('refused');
    }
  };
  return (
    <div className="runs-share" data-testid="share-pane">
      <div className="runs-share-head">
        <b>Link to this run</b>
        <span className="muted">
          {bytes.toLocaleString('en-US')} characters ({formatBytes(bytes)}){withinBudget ? '' : ', longer than most chat tools accept'}
        </span>
        <span className="runs-spacer" />
        <button onClick={onClose}>Close</button>
      </div>
      <div className="runs-share-url">
        <input ref={field} type="text" readOnly value={url} aria-label="share link" data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
        <button className="primary" onClick={() => void onCopy()}>Copy</button>
        {copy === 'copied' && <span className="runs-ok">Copied</span>}
        {copy === 'refused' && <span className="muted">The browser refused the clipboard: the link is selected, press Ctrl+C.</span>}
      </div>
      <p className="muted runs-share-note">
        The link carries the run record only: config, seed, dataset fingerprint, curves and evaluation tables. Never images or dataset content.
      </p>
      {dropped.length === 0 ? (
        <p className="runs-share-note" data-testid="share-dropped">The whole run fits in the link; no detail was left out.</p>
      ) : (
        <div className="runs-share-note" data-testid="share-dropped">
          To keep the link short, it leaves out:
          <ul>
            {dropped.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
