// The bottom status bar: which adapter the engine runs on, the limits that decide what fits, the optional
// features, and the device generation (2 or more means the lab recovered from a lost device).
import { useState } from 'react';
import { useDeviceStore } from '../../store/device.ts';
import type { MatmulTuning } from '../../gpu/matmul-tuning.ts';
import { formatBytes } from '../widgets/format.ts';

/** "32x16 per thread, 8x4 threads: autotuned now in 4.1 s" and the like. */
function describeTuning(t: MatmulTuning): string {
  const tile = `${t.tiling.tm}x${t.tiling.tn} per thread, ${t.tiling.wgx}x${t.tiling.wgy} threads`;
  const vsTable = t.winnerMs !== null && t.tableMs !== null && t.winnerMs < t.tableMs ? ` (${(t.tableMs / t.winnerMs).toFixed(2)}x the table's pick)` : '';
  switch (t.source) {
    case 'autotune':
      return `${tile}: autotuned at start-up in ${(t.tuneMs / 1000).toFixed(1)} s over ${t.note}${vsTable}; cached for this adapter`;
    case 'cache':
      return `${tile}: from this adapter's cached autotune (${t.note})${vsTable}`;
    default:
      return `${tile}: the per-adapter default (${t.note})`;
  }
}

export function StatusBar() {
  const state = useDeviceStore((s) => s.state);
  const losses = useDeviceStore((s) => s.losses);
  const simulateLoss = useDeviceStore((s) => s.simulateLoss);
  const reacquire = useDeviceStore((s) => s.reacquire);
  const [open, setOpen] = useState(false);
  const a = state.adapter;

  return (
    <footer className="statusbar" data-testid="statusbar" data-device-status={state.status}>
      <span className={`dot dot-${state.status}`} aria-hidden="true" />
      <span className="status-label" data-testid="device-status">
        {state.status === 'ready' && 'WebGPU ready'}
        {state.status === 'acquiring' && 'Acquiring GPU…'}
        {state.status === 'lost' && 'GPU device lost, recovering…'}
        {state.status === 'unavailable' && 'No WebGPU: CPU only'}
      </span>
      {a && (
        <>
          <span className="status-item" data-testid="adapter">
            {a.vendor} · <b>{a.architecture}</b>
            {a.isFallbackAdapter && <span className="badge warn" title="A software adapter: correct but slow">fallback (software)</span>}
          </span>
          <span className="status-item" title="maxStorageBufferBindingSize">
            storage binding {formatBytes(a.limits.maxStorageBufferBindingSize)}
          </span>
          <span className="status-item" title="maxBufferSize">buffer {formatBytes(a.limits.maxBufferSize)}</span>
          <span className="status-item" title="maxComputeInvocationsPerWorkgroup">
            {a.limits.maxComputeInvocationsPerWorkgroup} invocations/workgroup
          </span>
          <span className="status-item features">
            {(['shader-f16', 'subgroups', 'timestamp-query'] as const).map((f) => (
              <span key={f} className={a.features[f] ? 'badge on' : 'badge off'} title={a.features[f] ? 'available' : 'not available'}>
                {f}
              </span>
            ))}
          </span>
        </>
      )}
      <span className="status-spacer" />
      <span className="status-item" data-testid="device-generation" title="Devices acquired this session">
        device #{state.generation}
        {losses > 0 && ` · ${losses} loss${losses > 1 ? 'es' : ''} recovered`}
      </span>
      <button className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? 'hide' : 'details'}
      </button>
      {open && (
        <div className="status-details" role="dialog" aria-label="Device details">
          {a ? (
            <dl>
              <dt>Vendor</dt><dd>{a.vendor}</dd>
              <dt>Architecture</dt><dd>{a.architecture}</dd>
              <dt>Description</dt><dd>{a.description || '—'}</dd>
              <dt>Fallback adapter</dt><dd>{a.isFallbackAdapter ? 'yes' : 'no'}</dd>
              <dt>maxStorageBufferBindingSize</dt><dd>{a.limits.maxStorageBufferBindingSize.toLocaleString()} B</dd>
              <dt>maxBufferSize</dt><dd>{a.limits.maxBufferSize.toLocaleString()} B</dd>
              <dt>maxComputeInvocationsPerWorkgroup</dt><dd>{a.limits.maxComputeInvocationsPerWorkgroup}</dd>
              <dt>maxComputeWorkgroupStorageSize</dt><dd>{a.limits.maxComputeWorkgroupStorageSize.toLocaleString()} B</dd>
              <dt>Matmul tiling</dt>
              <dd data-testid="matmul-tuning" data-source={state.matmul?.source ?? 'pending'}>
                {state.matmul ? describeTuning(state.matmul) : 'autotune running…'}
              </dd>
            </dl>
          ) : (
            <p>{state.message || 'No adapter.'}</p>
          )}
          <div className="row">
            <button onClick={() => void reacquire()}>Re-acquire device</button>
            <button onClick={() => void simulateLoss()} data-testid="simulate-loss" title="Destroys the device as a driver reset would, to check recovery">
              Simulate device loss
            </button>
          </div>
          <p className="muted">App {__APP_VERSION__} · commit {__APP_COMMIT__}</p>
        </div>
      )}
    </footer>
  );
}
