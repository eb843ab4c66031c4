// The shape of a domain's handler table: one async function per request type it serves.
import type { DeviceSession } from './device-session.ts';
import type { Params, Progress, RequestType, Result } from './protocol.ts';

/** What every handler may use: the device session (for GPU work). */
export interface HandlerContext {
  session: DeviceSession;
}

/** Per-request: the cancellation signal and a progress sink. */
export interface JobContext<P = unknown> {
  signal: AbortSignal;
  progress: (p: P) => void;
}

export type HandlerTable<T extends RequestType> = {
  [K in T]: (params: Params<K>, job: JobContext<Progress<K>>) => Promise<Result<K>>;
};
