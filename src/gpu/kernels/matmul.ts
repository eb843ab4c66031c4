// Batched matmul C[b] = op(A[b]) @ op(B[b]) as a WGSL generator: register-blocked (each thread owns a
// tm x tn tile of C in private vec4 accumulators), vec4 loads, no shared memory, transposes in the loads.
//
// Variants tried on SwiftShader (Dawn/Vulkan, 2-core CPU), M=N=K=512. `matmulProgram` is exported so a
// bench can time it alone; matmul-autotune.ts picks the tile per adapter.
//   32x32 shared-memory tile, 4x4 outputs per thread (what onnxruntime-web and tfjs ship): ~0.6-0.7 GFLOP/s
//     (issue #3's measurement).
//   register-blocked, vec4 loads, no shared memory, 32x16 per thread: ~7 GFLOP/s in the issue's notes.
//   This generator, measured here in Node (median of 3, one submit each, vec4 path, no transposes):
//     4x4 / wg 8x8: 1.6 GFLOP/s; 8x8 / wg 8x4: 2.8; 16x8 / wg 4x4: 3.3 (best); 16x16 / wg 4x4: 1.5;
//     32x16 / wg 4x2: 1.8-2.8 (and 2-2.5 s to compile). Hoisting the per-row/column base indices out of
//     the k loop: no measurable change (kept: less integer work per load). These runs shared 2 cores with
//     other jobs (load average 5-7), so treat them as +-30%; the gap to the issue's 7 GFLOP/s is open.
//   Shared memory did not help there: SwiftShader's workgroup memory is ordinary memory plus barriers.
// On a real GPU the best tile differs, so tile sizes are parameters (picked by an autotune at start-up).
//
// Correct for every shape: the vec4 path needs K % 4 == 0, N % 4 == 0 (and M % 4 == 0 when A is transposed);
// any other shape takes the scalar-load path of the same blocking. Edge tiles clamp load indices into range
// and guard the stores, so sizes that are not multiples of the tile need no padding.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';

/** Tile sizes and layout of one matmul variant; all of it is in the program key. */
export interface MatmulTiling {
  /** Rows of C per thread; multiple of 4; typical 8 (GPU) to 32 (SwiftShader). */
  tm: number;
  /** Columns of C per thread; multiple of 4; typical 8 to 16. */
  tn: number;
  /** Threads per workgroup along N; typical 8. */
  wgx: number;
  /** Threads per workgroup along M; typical 8. */
  wgy: number;
}

/** One program's full parameter set. */
export interface MatmulVariant extends MatmulTiling {
  /** A is stored (K, M) instead of (M, K). */
  transA: boolean;
  /** B is stored (N, K) instead of (K, N). */
  transB: boolean;
  /** Use vec4 loads/stores (only for shapes `matmulVec4Ok` accepts). */
  vec4: boolean;
}

/** Default for SwiftShader-class adapters, overridable per backend (see WebGpuBackendConfig). */
export const defaultMatmulTiling: MatmulTiling = { tm: 8, tn: 8, wgx: 8, wgy: 4 };

/**
 * The SwiftShader (CPU-emulated) choice: `lab bench --suite kernels` measured 32x16 outputs per thread with
 * vec4 loads fastest on nearly every shape there (about 6.5 GFLOP/s at 512 on a quiet 2-core machine, vs
 * about 4.3 for 8x8); on real GPUs that many registers per thread spills, so they keep the default until
 * the start-up autotune picks.
 */
export const softwareMatmulTiling: MatmulTiling = { tm: 32, tn: 16, wgx: 8, wgy: 4 };

/** The tiling to start from on an adapter, before (or instead of) an autotune. */
export function matmulTilingFor(adapter: { architecture: string; isFallbackAdapter: boolean }): MatmulTiling {
  return adapter.isFallbackAdapter || adapter.architecture === 'swiftshader' ? softwareMatmulTiling : defaultMatmulTiling;
}

/** Whether the vec4 path is valid for this shape and layout. */
export function matmulVec4Ok(m: number, n: number, k: number, transA: boolean): boolean {
  return k % 4 === 0 && n % 4 === 0 && (!transA || m % 4 === 0);
}

/** Workgroup counts for C (batch, M, N). */
export function matmulDispatch(t: MatmulTiling, batch: number, m: number, n: number): [number, number, number] {
  return [Math.ceil(n / (t.tn * t.wgx)), Math.ceil(m / (t.tm * t.wgy)), batch];
}

const cache = new Map<string, KernelProgram>();

/**
 * The program for one variant. Uniforms: m, n, k, and batch strides (in elements) strideA, strideB, strideC
 * (0 broadcasts an operand over the batch). Bindings: a, b (read), c (write). Dispatch: `matmulDispatch`.
 */
export function matmulProgram(v: MatmulVariant): KernelProgram {
  const { tm, tn, wgx, wgy, transA, transB, vec4 } = v;
  if (tm % 4 !== 0 || tn % 4 !== 0 || tm < 4 || tn < 4) throw new Error(`matmul tile ${tm}x${tn}: both must be multiples of 4`);
  const id = JSON.stringify(v);
  const hit = cache.get(id);
  if (hit) return hit;
  const g = tn / 4; // vec4 column groups per thread
  const lines: string[] = [];
  const acc = (i: number, j: number) => `acc${i}_${j}`;
  for (let i = 0; i < tm; i++) for (let j = 0; j < g; j++) lines.push(`  var ${acc(i, j)} = vec4<f32>(0.0);`);
  if (vec4) {
    // Per-thread base indices (in vec4 units) hoisted out of the k loop: SwiftShader does not hoist them.
    lines.push('  let mv = u.m / 4u;', '  let nv = u.n / 4u;');
    if (!transA) for (let i = 0; i < tm; i++) lines.push(`  let aRow${i} = (aOff + min(row0 + ${i}u, u.m - 1u) * u.k) / 4u;`);
    else for (let q = 0; q < tm / 4; q++) lines.push(`  let aCol${q} = (aOff + min(row0 + ${4 * q}u, u.m - 4u)) / 4u;`);
    if (!transB) for (let j = 0; j < g; j++) lines.push(`  let bCol${j} = (bOff + min(col0 + ${4 * j}u, u.n - 4u)) / 4u;`);
    else for (let c = 0; c < tn; c++) lines.push(`  let bRow${c} = (bOff + min(col0 + ${c}u, u.n - 1u) * u.k) / 4u;`);
    lines.push('  for (var k0 = 0u; k0 < u.k; k0 += 4u) {', '    let kv = k0 / 4u;');
    // A values a(i, kk) as WGSL expressions.
    const aVal: string[][] = [];
    if (!transA) {
      for (let i = 0; i < tm; i++) lines.push(`    let a${i} = a[aRow${i} + kv];`);
      for (let i = 0; i < tm; i++) aVal.push([0, 1, 2, 3].map((kk) => `a${i}[${kk}]`));
    } else {
      for (let kk = 0; kk < 4; kk++)
        for (let q = 0; q < tm / 4; q++)
          lines.push(`    let a${q}_${kk} = a[aCol${q} + (k0 + ${kk}u) * mv];`);
      for (let i = 0; i < tm; i++) aVal.push([0, 1, 2, 3].map((kk) => `a${i >> 2}_${kk}[${i & 3}]`));
    }
    // B rows b(kk, j) as vec4 expressions across 4 columns.
    const bVal: string[][] = [];
    if (!transB) {
      for (let kk = 0; kk < 4; kk++)
        for (let j = 0; j < g; j++)
          lines.push(`    let b${kk}_${j} = b[bCol${j} + (k0 + ${kk}u) * nv];`);
      for (let kk = 0; kk < 4; kk++) bVal.push(Array.from({ length: g }, (_, j) => `b${kk}_${j}`));
    } else {
      for (let c = 0; c < tn; c++) lines.push(`    let bt${c} = b[bRow${c} + kv];`);
      for (let kk = 0; kk < 4; kk++) {
        for (let j = 0; j < g; j++) {
          lines.push(`    let b${kk}_${j} = vec4<f32>(bt${4 * j}[${kk}], bt${4 * j + 1}[${kk}], bt${4 * j + 2}[${kk}], bt${4 * j + 3}[${kk}]);`);
        }
        bVal.push(Array.from({ length: g }, (_, j) => `b${kk}_${j}`));
      }
    }
    for (let kk = 0; kk < 4; kk++)
      for (let i = 0; i < tm; i++)
        for (let j = 0; j < g; j++) lines.push(`    ${acc(i, j)} = fma(vec4<f32>(${aVal[i][kk]}), ${bVal[kk][j]}, ${acc(i, j)});`);
    lines.push('  }');
    for (let i = 0; i < tm; i++) {
      lines.push(`  if (row0 + ${i}u < u.m) {`);
      for (let j = 0; j < g; j++) {
        lines.push(`    if (col0 + ${4 * j}u < u.n) { c[(cOff + (row0 + ${i}u) * u.n + col0 + ${4 * j}u) / 4u] = ${acc(i, j)}; }`);
      }
      lines.push('  }');
    }
  } else {
    const aIdx = (row: string) => (transA ? `aOff + k * u.m + ${row}` : `aOff + ${row} * u.k + k`);
    const bIdx = (col: string) => (transB ? `bOff + ${col} * u.k + k` : `bOff + k * u.n + ${col}`);
    lines.push('  for (var k = 0u; k < u.k; k++) {');
    for (let i = 0; i < tm; i++) lines.push(`    let a${i} = a[${aIdx(`min(row0 + ${i}u, u.m - 1u)`)}];`);
    for (let j = 0; j < g; j++) {
      const cols = [0, 1, 2, 3].map((q) => `b[${bIdx(`min(col0 + ${4 * j + q}u, u.n - 1u)`)}]`);
      lines.push(`    let b${j} = vec4<f32>(${cols.join(', ')});`);
    }
    for (let i = 0; i < tm; i++) for (let j = 0; j < g; j++) lines.push(`    ${acc(i, j)} = fma(vec4<f32>(a${i}), b${j}, ${acc(i, j)});`);
    lines.push('  }');
    for (let i = 0; i < tm; i++) {
      lines.push(`  if (row0 + ${i}u < u.m) {`);
      lines.push(`    let r${i} = cOff + (row0 + ${i}u) * u.n + col0;`);
      for (let j = 0; j < g; j++)
        for (let q = 0; q < 4; q++) lines.push(`    if (col0 + ${4 * j + q}u < u.n) { c[r${i} + ${4 * j + q}u] = ${acc(i, j)}[${q}]; }`);
      lines.push('  }');
    }
  }
  const t = vec4 ? 'vec4<f32>' : 'f32';
  const program = defineProgram({
    name: 'matmul',
    params: { tm, tn, transA, transB, vec4 },
    bindings: [input('a', t), input('b', t), output('c', t)],
    uniforms: fields('u32', 'm', 'n', 'k', 'strideA', 'strideB', 'strideC'),
    workgroupSize: [wgx, wgy, 1],
    body: `@entry
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let col0 = (wg.x * ${wgx}u + lid.x) * ${tn}u;
  let row0 = (wg.y * ${wgy}u + lid.y) * ${tm}u;
  if (row0 >= u.m || col0 >= u.n) { return; }
  let aOff = wg.z * u.strideA;
  let bOff = wg.z * u.strideB;
  let cOff = wg.z * u.strideC;
${lines.join('\n')}
}`,
  });
  cache.set(id, program);
  return program;
}
