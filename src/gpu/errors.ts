// Typed GPU failures a person (or the worker's UI) can act on. Every GPU error the engine raises is one of
// these, with the values that explain it in the message; raw Dawn/browser errors never leak upward unnamed.

/** Base class: `instanceof GpuError` catches every engine GPU failure. */
export class GpuError extends Error {
  override name = 'GpuError';
}

/** No `navigator.gpu`, no adapter, or the device request was refused: use the CPU backend instead. */
export class WebGpuUnavailableError extends GpuError {
  override name = 'WebGpuUnavailableError';
}

/** The device was lost (driver reset, tab backgrounded too long, `destroy()`); all GPU tensors are gone. */
export class DeviceLostError extends GpuError {
  override name = 'DeviceLostError';
  constructor(
    /** 'destroyed' or 'unknown', as GPUDeviceLostInfo reports it. */
    readonly reason: string,
    message: string,
  ) {
    super(`WebGPU device lost (${reason}): ${message}`);
  }
}

/** An allocation failed on the device, or would exceed a device limit (checked before allocating). */
export class OutOfMemoryError extends GpuError {
  override name = 'OutOfMemoryError';
}

/** A request breaks a device limit (buffer size, workgroup size, dispatch size); the values are in the message. */
export class GpuLimitError extends GpuError {
  override name = 'GpuLimitError';
}

/** A validation error caught by an error scope (a bug in the engine, not in the user's data). */
export class GpuValidationError extends GpuError {
  override name = 'GpuValidationError';
}

/** One line of the WGSL compiler's report. */
export interface CompilationLine {
  /** 'error' | 'warning' | 'info'. */
  type: string;
  /** 1-based line in the WGSL source; 0 when the compiler gave none. */
  line: number;
  /** 1-based column. */
  column: number;
  /** The compiler's message. */
  message: string;
  /** The offending source line, verbatim, so the error reads without the source at hand. */
  sourceLine: string;
}

/** WGSL that did not compile: the compiler's lines and the source lines they point at. */
export class ShaderCompileError extends GpuError {
  override name = 'ShaderCompileError';
  constructor(
    /** The program's cache key (names the generator and every parameter). */
    readonly programKey: string,
    readonly lines: readonly CompilationLine[],
    readonly source: string,
  ) {
    super(
      `WGSL for ${programKey} failed to compile:\n` +
        lines.map((l) => `  ${l.type} at ${l.line}:${l.column}: ${l.message}\n    > ${l.sourceLine}`).join('\n'),
    );
  }
}

/** A tensor held NaN or Inf after an op while numeric checks were on. */
export class NonFiniteError extends GpuError {
  override name = 'NonFiniteError';
  constructor(
    /** Name of the first op whose output was not finite. */
    readonly op: string,
  ) {
    super(`non-finite value (NaN or Inf) in the output of ${op}`);
  }
}

/** Turns a compilation report into CompilationLines with the source line each points at. */
export function compilationLines(messages: readonly GPUCompilationMessage[], source: string): CompilationLine[] {
  const src = source.split('\n');
  return messages.map((m) => ({
    type: m.type,
    line: m.lineNum,
    column: m.linePos,
    message: m.message,
    sourceLine: m.lineNum > 0 ? (src[m.lineNum - 1] ?? '') : '',
  }));
}
