// Entry point of the dedicated engine worker: it owns the GPUDevice and all long work.
/// <reference lib="webworker" />
import { EngineHandler } from './handler.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handler = new EngineHandler(scope.navigator.gpu, (msg: FromWorker) => scope.postMessage(msg));

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  void handler.receive(event.data);
};
