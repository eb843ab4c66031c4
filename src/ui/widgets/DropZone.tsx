// Where researchers drop datasets: files, whole folders or .zip archives, or pick them with a file dialog.
// The zone only hands the browser's DataTransfer / FileList to its owner; reading happens in the worker.
import { useRef, useState, type ReactNode } from 'react';

interface Props {
  onDrop: (dt: DataTransfer) => void;
  onPick: (files: FileList) => void;
  disabled?: boolean;
  children?: ReactNode;
}

export function DropZone({ onDrop, onPick, disabled, children }: Props) {
  const [over, setOver] = useState(false);
  const files = useRef<HTMLInputElement>(null);
  const folders = useRef<HTMLInputElement>(null);
  return (
    <div
      className={`dropzone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!disabled) onDrop(e.dataTransfer);
      }}
    >
      <p className="dropzone-title">Drop dataset files, folders or .zip archives here</p>
      <p className="muted">Files are read in this browser only. Nothing is uploaded.</p>
      <div className="row center">
        <button onClick={() => files.current?.click()} disabled={disabled}>Choose files…</button>
        <button onClick={() => folders.current?.click()} disabled={disabled}>Choose a folder…</button>
      </div>
      {children}
      <input
        ref={files}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          if (e.target.files?.length) onPick(e.target.files);
          e.target.value = '';
        }}
      />
      <input
        ref={folders}
        type="file"
        hidden
        data-testid="folder-input"
        // webkitdirectory is how every current browser picks a whole folder.
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(e) => {
          if (e.target.files?.length) onPick(e.target.files);
          e.target.value = '';
        }}
      />
    </div>
  );
}
