// WGSL snippets and dispatch helpers shared by the kernel generators: flat indexing over a 2D grid (so
// dispatches stay under maxComputeWorkgroupsPerDimension), one-workgroup-per-row grids, and workgroup sums.

/** Threads per workgroup of the flat elementwise kernels. */
export const FLAT_WG = 256;

/** Threads per workgroup of the row kernels (norms, softmax, reductions). */
export const ROW_WG = 64;

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
