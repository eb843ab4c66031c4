// Cancellation for long worker jobs: handlers check the signal between units of work (a step, a batch),
// so a cancel takes effect at the next boundary and never leaves half-written state.

export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'Cancelled by the user') {
    super(message);
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}
