// The engine worker's request handler: routes each request to the module that does the work, runs it with
// a cancellation signal, and answers with exactly one result or error. Free of DOM and React so Node tests
// can drive it with a fake `post`. Each domain (device, data, training, ...) contributes a handler table.
import { CancelledError } from './cancel.ts';
import type { TuningStore } from '../gpu/matmul-tuning.ts';
import { DeviceSession } from './device-session.ts';
import { deviceHandlers } from './device-handlers.ts';
import { dataHandlers } from './data-handlers.ts';
import { curriculumHandlers, watchModel } from './curriculum-handlers.ts';
import { SimilarityModels } from '../curriculum/similarity-models.ts';
import { recipeHandlers } from './recipe-handlers.ts';
import { evalHandlers } from './eval-handlers.ts';
import { trainHandlers } from './train-handlers.ts';
import { modelHandlers } from './model-handlers.ts';
import { toWireError, type FromWorker, type RequestType, type ToWorker } from './protocol.ts';
import type { HandlerContext, HandlerTable, JobContext } from './handler-types.ts';

export class EngineHandler {
  readonly session: DeviceSession;
  private readonly running = new Map<number, AbortController>();
  private readonly handlers: HandlerTable<RequestType>;

  constructor(
    gpu: GPU | undefined,
    private readonly post: (msg: FromWorker) => void,
    /** Where the start-up matmul autotune is cached; null leaves the tiling to the per-adapter table. */
    tuningStore: (() => Promise<TuningStore>) | null = null,
  ) {
    this.session = new DeviceSession(gpu, (state, event) => this.post({ kind: 'device', state, event }), 250, tuningStore);
    const ctx: HandlerContext = { session: this.session };
    // The curriculum's 'policy' and 'onnx:' similarity read the Model panel's policy and the dropped ONNX model;
    // the train handler precomputes an ONNX run's answer embeddings from the same place.
    const model = watchModel(modelHandlers(ctx));
    const similarity = new SimilarityModels({ policy: model.policy });
    this.handlers = { ...deviceHandlers(ctx), ...dataHandlers(ctx), ...curriculumHandlers(ctx, { models: similarity }), ...recipeHandlers(ctx), ...evalHandlers(ctx), ...trainHandlers(ctx, { similarityTable: similarity.forRun }), ...model.handlers };
  }

  async receive(msg: ToWorker): Promise<void> {
    if (msg.kind === 'cancel') {
      this.running.get(msg.id)?.abort();
      return;
    }
    const controller = new AbortController();
    this.running.set(msg.id, controller);
    const handler = this.handlers[msg.type] as ((params: unknown, job: JobContext) => Promise<unknown>) | undefined;
    try {
      if (!handler) throw new Error(`Unknown request type '${String(msg.type)}'`);
      const result = await handler(msg.params, {
        signal: controller.signal,
        progress: (progress) => this.post({ kind: 'progress', id: msg.id, progress }),
      });
      this.post({ kind: 'result', id: msg.id, result });
    } catch (err) {
      this.post({ kind: 'error', id: msg.id, error: toWireError(controller.signal.aborted ? new CancelledError() : err) });
    } finally {
      this.running.delete(msg.id);
    }
  }
}
