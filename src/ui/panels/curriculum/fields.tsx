// Small form fields the Curriculum and Augmentation panels share: a number input that lets a half-typed value
// ("0.") stand until it parses, with its meaning and default beside it; and an option list with the gold marked.
import { useState, type ReactNode } from 'react';
import { optionLetter } from '../../../data/record.ts';

interface NumberFieldProps {
  label: string;
  value: number;
  onChange: (v: number) => void;
  /** What it means and its default, shown under the input. */
  help?: ReactNode;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
  testId?: string;
  /** Accessible name when the visible label is empty. */
  ariaLabel?: string;
}

export function NumberField({ label, value, onChange, help, min, max, step = 0.01, disabled, testId, ariaLabel }: NumberFieldProps) {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  // A new value from outside (reset, clamping) replaces the typed text; the user's own half-typed text stays.
  if (shown !== value) {
    setShown(value);
    if (!(Number(text) === value && text.trim() !== '')) setText(String(value));
  }
  return (
    <label className="cur-field">
      {label && <span className="cur-field-label">{label}</span>}
      <input
        type="number"
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        data-testid={testId}
        aria-label={label ? undefined : ariaLabel}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v)) onChange(v);
        }}
      />
      {help && <span className="cur-field-help muted">{help}</span>}
    </label>
  );
}

/** Options in order with letters; the gold one marked in text (not only by colour). */
export function OptionList({ options, goldIndex, testId }: { options: readonly string[]; goldIndex: number; testId?: string }) {
  return (
    <ol className="cur-options" data-testid={testId}>
      {options.map((o, i) => (
        <li key={i} className={i === goldIndex ? 'cur-gold' : undefined} data-gold={i === goldIndex ? 'true' : undefined}>
          <span className="cur-letter">{optionLetter(i)}.</span> {o}
          {i === goldIndex && <span className="cur-gold-mark"> ✓ gold</span>}
        </li>
      ))}
    </ol>
  );
}

export const fmtS = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
