// WGSL snippets and dispatch helpers shared by the kernel generators: flat indexing over a 2D grid (so
// dispatches stay under maxComputeWorkgroupsPerDimension), one-workgroup-per-row grids, workgroup sums, and
// the per-adapter choice between the two row-kernel layouts (see softmax.ts for the measurements).

/** Threads per workgroup of the flat elementwise kernels. */
export const FLAT_WG = 256;

/** Threads per workgroup of the row kernels (norms, softmax, reductions). */
export const ROW_WG = 64;

/**
 * How a row kernel (softmax, norms, log-probs) maps rows to threads. 'workgroup': one workgroup of ROW_WG
 * threads per row with tree reductions in workgroup memory (right for real GPUs). 'thread': one thread per
 * row with serial loops, no barriers (right for SwiftShader, where barriers and workgroup memory are costly).
 */
export type RowKernel = 'workgroup' | 'thread';

/** Threads per workgroup of the 'thread' row layout (each thread owns a row). */
export const ROW_THREAD_WG = 64;

/** The row layout to use on an adapter: 'thread' on CPU-emulated adapters, 'workgroup' elsewhere. */
export function rowKernelFor(adapter: { architecture: string; isFallbackAdapter: boolean }): RowKernel {
  return adapter.isFallbackAdapter || adapter.architecture === 'swiftshader' ? 'thread' : 'workgroup';
}

/** Workgroup counts for `rows` rows in the given layout. */
export function rowGrid(rows: number, layout: RowKernel): [number, number] {
  return layout === 'thread' ? grid(rows, ROW_THREAD_WG) : grid(rows, 1);
}

/** Largest workgroup count per dimension every adapter supports. */
const MAX_DIM = 65535;

/** Workgroups for `n` threads of `wg` each, folded into 2D when one dimension would overflow. */
export function grid(n: number, wg: number): [number, number] {
  const groups = Math.ceil(n / wg);
  if (groups <= MAX_DIM) return [groups, 1];
  const y = Math.ceil(groups / MAX_DIM);
  return [Math.ceil(groups / y), y];
}

/** Entry point signature giving `i`, the flat thread index over a `grid()` dispatch. */
export function flatMain(wg: number): string {
  return `@entry
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * ${wg}u;`;
}

/** Entry point for one workgroup per row: gives `row` (over a `grid(rows, 1)` dispatch) and `lid`. */
export function rowMain(): string {
  return `@entry
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x + wid.y * nwg.x;`;
}

/** Entry point for one thread per row: gives `row` (over a `rowGrid(rows, 'thread')` dispatch). */
export function rowThreadMain(): string {
  return `${flatMain(ROW_THREAD_WG)}
  let row = i;`;
}

/** Whether a row of `n` columns can be read as vec4 chunks (each row then starts on a vec4 boundary). */
export function rowVec4Ok(n: number): boolean {
  return n > 0 && n % 4 === 0;
}

/** WGSL for a one-thread-per-row body written once over scalars or over vec4 chunks of the row. */
export interface RowLanes {
  /** Element type of the per-column bindings. */
  type: 'f32' | 'vec4<f32>';
  /** Elements per row, given the WGSL column count (`u.c` or `u.c / 4u`). */
  count: (cols: string) => string;
  /** Horizontal sum of a WGSL expression of `type`, as f32. */
  hsum: (e: string) => string;
  /** The zero of `type`. */
  zero: string;
}

export function rowLanes(vec4: boolean): RowLanes {
  return vec4
    ? { type: 'vec4<f32>', count: (c) => `(${c} / 4u)`, hsum: (e) => `dot(${e}, vec4<f32>(1.0))`, zero: 'vec4<f32>(0.0)' }
    : { type: 'f32', count: (c) => c, hsum: (e) => `(${e})`, zero: '0.0' };
}

/** One row kernel variant: cache-key part, program params, workgroup size, and the lanes of its 'thread' body. */
export interface RowVariant {
  thread: boolean;
  /** vec4 chunks (only in the thread layout). */
  v4: boolean;
  key: string;
  params: Record<string, string | boolean>;
  wg: readonly [number, number, number];
  L: RowLanes;
}

/** The variant for a layout; `vec4` is ignored in the workgroup layout. */
export function rowVariant(layout: RowKernel, vec4: boolean): RowVariant {
  const thread = layout === 'thread';
  const v4 = thread && vec4;
  return {
    thread, v4, key: `${layout}${v4 ? '|vec4' : ''}`, params: v4 ? { layout, vec4: true } : { layout },
    wg: [thread ? ROW_THREAD_WG : ROW_WG, 1, 1], L: rowLanes(v4),
  };
}

/** Workgroup sum and max over ROW_WG threads; call from uniform control flow. */
export const workgroupReduce = `
var<workgroup> red: array<f32, ${ROW_WG}>;
fn wgSum(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${ROW_WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = red[lid] + red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}
fn wgMax(v: f32, lid: u32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = ${ROW_WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}`;

/** Names d0..d(r-1) with a prefix, for rank-unrolled uniforms. */
export function dimNames(prefix: string, rank: number): string[] {
  return Array.from({ length: rank }, (_, i) => `${prefix}${i}`);
}
