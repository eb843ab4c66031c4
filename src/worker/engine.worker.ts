// Entry point of the dedicated engine worker: it owns the GPUDevice and all long work.
/// <reference lib="webworker" />
import { indexedDbTuningStore, memoryTuningStore } from '../gpu/matmul-tuning.ts';
import { EngineHandler } from './handler.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// Tunes are cached in IndexedDB so only the first start-up on an adapter pays for one.
const tuningStore = () => (typeof indexedDB === 'undefined' ? Promise.resolve(memoryTuningStore()) : indexedDbTuningStore().catch(() => memoryTuningStore()));
const handler = new EngineHandler(scope.navigator.gpu, (msg: FromWorker) => scope.postMessage(msg), tuningStore);

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  void handler.receive(event.data);
};
