// Form fields of the Train panel: each shows its label, its control, and one line with its meaning and its
// default, so a researcher reads what a setting does without leaving the form. A number field keeps half-typed
// text ("0.", "1e-") until it parses.
import { useState, type ReactNode } from 'react';

interface FieldFrameProps {
  label: string;
  /** One line: what it means. */
  help: ReactNode;
  /** The default as shown ('8', 'bnpo', 'off'). */
  def: string;
  children: ReactNode;
}

function FieldFrame({ label, help, def, children }: FieldFrameProps) {
  return (
    <label className="train-field">
      <span className="train-field-label">{label}</span>
      {children}
      <span className="train-field-help">
        {help} <span className="train-default">Default {def}.</span>
      </span>
    </label>
  );
}

interface NumberFieldProps {
  label: string;
  value: number;
  onChange: (v: number) => void;
  help: ReactNode;
  def: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  disabled?: boolean;
  testId?: string;
}

/** Small rates read as 1e-5, not 0.00001. */
export function numberText(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

export function NumberField({ label, value, onChange, help, def, min, max, step = 'any', disabled, testId }: NumberFieldProps) {
  const [text, setText] = useState(numberText(value));
  const [shown, setShown] = useState(value);
  // A value from outside (reset, a loaded form) replaces the text; the user's own half-typed text stays.
  if (shown !== value) {
    setShown(value);
    if (!(Number(text) === value && text.trim() !== '')) setText(numberText(value));
  }
  return (
    <FieldFrame label={label} help={help} def={def}>
      <input
        type="number"
        value={text}
        min={min}
        max={max}
        step={step}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v)) onChange(v);
        }}
      />
    </FieldFrame>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: readonly { value: T; text: string }[];
  onChange: (v: T) => void;
  help: ReactNode;
  def: string;
  disabled?: boolean;
  testId?: string;
}

export function SelectField<T extends string>({ label, value, options, onChange, help, def, disabled, testId }: SelectFieldProps<T>) {
  return (
    <FieldFrame label={label} help={help} def={def}>
      <select value={value} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

interface CheckFieldProps {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  help: ReactNode;
  def: string;
  disabled?: boolean;
  testId?: string;
  /** Shown after the checkbox (e.g. a link to the panel that configures it). */
  extra?: ReactNode;
}

export function CheckField({ label, checked, onChange, help, def, disabled, testId, extra }: CheckFieldProps) {
  return (
    <div className="train-field train-check">
      <span className="train-field-label">
        <label>
          <input type="checkbox" checked={checked} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.checked)} /> {label}
        </label>
        {extra}
      </span>
      <span className="train-field-help">
        {help} <span className="train-default">Default {def}.</span>
      </span>
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  help: ReactNode;
  def: string;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
}

export function TextField({ label, value, onChange, help, def, placeholder, disabled, testId }: TextFieldProps) {
  return (
    <FieldFrame label={label} help={help} def={def}>
      <input type="text" value={value} placeholder={placeholder} disabled={disabled} data-testid={testId} onChange={(e) => onChange(e.target.value)} />
    </FieldFrame>
  );
}
