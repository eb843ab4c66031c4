// Progress of a long job: a bar, "done / total unit", the rate, an ETA, and a Cancel button.
interface Props {
  label: string;
  done: number;
  total: number;
  unit?: string;
  /** Epoch ms when the job started, for rate and ETA. */
  startedAt: number;
  now: number;
  onCancel?: () => void;
}

export function Progress({ label, done, total, unit = '', startedAt, now, onCancel }: Props) {
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const elapsed = Math.max(0, now - startedAt) / 1000;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const eta = rate > 0 && total > done ? (total - done) / rate : null;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div className="progress-head">
        <span>{label}</span>
        <span className="muted">
          {done.toLocaleString()} / {total.toLocaleString()} {unit}
          {rate > 0 && ` · ${rate >= 10 ? rate.toFixed(0) : rate.toFixed(2)} ${unit || 'items'}/s`}
          {eta !== null && ` · ETA ${formatDuration(eta)}`}
        </span>
        {onCancel && <button onClick={onCancel}>Cancel</button>}
      </div>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
    </div>
  );
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
