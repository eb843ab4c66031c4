// A drop area for a few files (run JSON, metrics logs, an ablation, an ONNX model): drag them in or pick them
// with the file dialog; the owner gets a plain File list either way. Datasets use DropZone, which also takes
// whole folders.
import { useRef, useState, type ReactNode } from 'react';

interface Props {
  /** What to drop, as a sentence ending in "or" before the button. */
  label: ReactNode;
  /** The button's words, e.g. 'Choose JSON files…'. */
  button: string;
  onFiles: (files: File[]) => void;
  /** File dialog filter, e.g. '.json,application/json'. */
  accept?: string;
  multiple?: boolean;
  /** While true the button is disabled and `busyText` is shown. */
  busy?: boolean;
  busyText?: string;
  /** Extra controls after the button (e.g. a select), and notes below the row. */
  extra?: ReactNode;
  children?: ReactNode;
  className?: string;
  testId: string;
  inputTestId: string;
}

export function FileDrop({ label, button, onFiles, accept, multiple = false, busy = false, busyText = 'reading…', extra, children, className = 'runs-drop', testId, inputTestId }: Props) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  return (
    <div
      className={`${className}${over ? ' over' : ''}`}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!busy) onFiles([...e.dataTransfer.files]);
      }}
    >
      <span>{label}</span>
      <button onClick={() => input.current?.click()} disabled={busy}>{button}</button>
      {extra}
      {busy && <span className="muted">{busyText}</span>}
      <input
        ref={input}
        type="file"
        accept={accept}
        multiple={multiple}
        hidden
        data-testid={inputTestId}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          // Cleared so picking the same file again fires a change.
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
      {children}
    </div>
  );
}
