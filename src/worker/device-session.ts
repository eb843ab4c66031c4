// Owns the worker's GPUDevice across its lifetime: acquires it, watches `device.lost`, and re-acquires after
// a loss so work can resume from checkpoints. Everything that needs the device asks this session for it.
import { acquireDevice, type AcquiredDevice } from '../gpu/adapter-report.ts';
import { matmulTilingFor } from '../gpu/kernels/matmul.ts';
import { resolveMatmulTiling, type MatmulTuning, type TuningStore } from '../gpu/matmul-tuning.ts';
import { GpuRunner } from '../gpu/runner.ts';
import { WebGpuBackend } from '../tensor/webgpu-backend.ts';
import type { DeviceState } from './protocol.ts';

export type DeviceEventKind = 'ready' | 'lost' | 'unavailable' | 'acquiring' | 'tuned';
export type DeviceListener = (state: DeviceState, event: DeviceEventKind) => void;

export class DeviceSession {
  private current: AcquiredDevice | null = null;
  private pending: Promise<AcquiredDevice> | null = null;
  private generation = 0;
  private state: DeviceState = { status: 'acquiring', adapter: null, generation: 0, message: '' };
  /** Set while we destroy a device ourselves for a re-acquire, so that loss is not reported as a failure. */
  private replacing: GPUDevice | null = null;
  /** The matmul tiling of each device, resolved once per device (the first backend waits for it). */
  private tunings = new WeakMap<GPUDevice, Promise<MatmulTuning>>();

  constructor(
    private readonly gpu: GPU | undefined,
    private readonly listener: DeviceListener,
    /** Wait before re-acquiring after a loss; a driver reset needs a moment. */
    private readonly recoverDelayMs = 250,
    /**
     * Where start-up autotunes are cached (IndexedDB in the worker). Null: no autotune, the per-adapter table
     * decides (Node tests, which would otherwise spend seconds tuning in every file).
     */
    private readonly tuningStore: (() => Promise<TuningStore>) | null = null,
  ) {}

  get snapshot(): DeviceState {
    return this.state;
  }

  /** The live device, acquiring one if needed. Throws WebGpuUnavailableError where there is none. */
  async device(): Promise<AcquiredDevice> {
    if (this.current) return this.current;
    this.pending ??= this.acquire();
    try {
      return await this.pending;
    } finally {
      this.pending = null;
    }
  }

  /**
   * The matmul tiling for the live device: the cached autotune for this adapter, a tune now (a few seconds,
   * once per adapter and kernel version), or the table when tuning is off or fails.
   */
  async matmulTuning(): Promise<MatmulTuning> {
    const acquired = await this.device();
    let pending = this.tunings.get(acquired.device);
    if (!pending) {
      pending = this.tune(acquired);
      this.tunings.set(acquired.device, pending);
    }
    return pending;
  }

  /** A WebGPU backend on the live device with this adapter's matmul tiling. */
  async webGpuBackend(): Promise<{ backend: WebGpuBackend; acquired: AcquiredDevice }> {
    const acquired = await this.device();
    const tuning = await this.matmulTuning();
    return { backend: new WebGpuBackend(acquired.device, { matmul: tuning.tiling }), acquired };
  }

  private async tune(acquired: AcquiredDevice): Promise<MatmulTuning> {
    const table = matmulTilingFor(acquired.report);
    if (!this.tuningStore) return { tiling: table, source: 'table', tuneMs: 0, winnerMs: null, tableMs: null, note: 'autotune off' };
    const runner = new GpuRunner(acquired.device);
    let tuning: MatmulTuning;
    try {
      tuning = await resolveMatmulTiling(runner, acquired.report, await this.tuningStore());
    } catch (err) {
      tuning = { tiling: table, source: 'table', tuneMs: 0, winnerMs: null, tableMs: null, note: `autotune failed: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      runner.destroy();
    }
    if (this.current === acquired) this.setState({ ...this.state, matmul: tuning }, 'tuned');
    return tuning;
  }

  async reacquire(): Promise<AcquiredDevice> {
    const old = this.current;
    this.current = null;
    if (old) {
      this.replacing = old.device;
      old.device.destroy();
    }
    return this.device();
  }

  /** Destroys the device as a real loss would; the session then reports the loss and recovers. */
  destroyForTest(): boolean {
    if (!this.current) return false;
    this.current.device.destroy();
    return true;
  }

  private async acquire(): Promise<AcquiredDevice> {
    this.setState({ ...this.state, status: 'acquiring', message: 'Requesting a WebGPU device…' }, 'acquiring');
    try {
      const acquired = await acquireDevice(this.gpu);
      this.generation += 1;
      this.current = acquired;
      this.watchLoss(acquired);
      this.setState({ status: 'ready', adapter: acquired.report, generation: this.generation, message: '' }, 'ready');
      return acquired;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.setState({ status: 'unavailable', adapter: null, generation: this.generation, message }, 'unavailable');
      throw err;
    }
  }

  private watchLoss(acquired: AcquiredDevice): void {
    void acquired.device.lost.then((info) => {
      if (this.replacing === acquired.device) {
        this.replacing = null;
        return;
      }
      if (this.current === acquired) this.current = null;
      const why = info.message ? `${info.reason}: ${info.message}` : String(info.reason);
      this.setState(
        {
          status: 'lost',
          adapter: acquired.report,
          generation: this.generation,
          message: `The GPU device was lost (${why}). Acquiring a new one; runs resume from their last checkpoint.`,
        },
        'lost',
      );
      setTimeout(() => {
        this.device().catch(() => {
          /* reported through the 'unavailable' state */
        });
      }, this.recoverDelayMs);
    });
  }

  private setState(state: DeviceState, event: DeviceEventKind): void {
    this.state = state;
    this.listener(state, event);
  }
}
