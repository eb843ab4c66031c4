// The one interface every compute kernel implements: its storage bindings, its uniforms, its workgroup size
// and its WGSL, with a cache key built from every parameter that shaped the source. The runner (runner.ts)
// turns a program plus buffers, uniform values and a dispatch size into a pipeline and a dispatch.

/** WGSL element type of a storage binding. */
export type StorageElement = 'f32' | 'i32' | 'u32' | 'vec4<f32>' | 'atomic<u32>';

/** One storage buffer binding; bindings are numbered 0.. in declaration order. */
export interface StorageBinding {
  /** WGSL variable name, e.g. 'a'. */
  name: string;
  /** Element type of the `array<...>`. */
  type: StorageElement;
  /** 'read' for inputs, 'read_write' for outputs. */
  access: 'read' | 'read_write';
}

/** One scalar field of the uniform struct `u` (bound after the storage buffers). */
export interface UniformField {
  name: string;
  type: 'u32' | 'i32' | 'f32';
}

/** A compiled-once kernel. Shape-dependent values go in uniforms, so one program serves every shape. */
export interface KernelProgram {
  /** Generator name plus every parameter, e.g. 'matmul|{"tm":8,"tn":8,...}'; pipelines are cached by it. */
  readonly key: string;
  /** Complete WGSL (declarations included). */
  readonly source: string;
  readonly bindings: readonly StorageBinding[];
  /** Uniform struct fields; empty means no uniform binding. */
  readonly uniforms: readonly UniformField[];
  /** @workgroup_size of the entry point `main`. */
  readonly workgroupSize: readonly [number, number, number];
}

/** What a kernel generator describes; `defineProgram` adds the declarations and the key. */
export interface ProgramSpec {
  /** Generator name, e.g. 'matmul'. */
  name: string;
  /** Every parameter the source depends on (tile sizes, flags, op kind); JSON-serialisable. */
  params: Record<string, string | number | boolean>;
  bindings: readonly StorageBinding[];
  uniforms: readonly UniformField[];
  workgroupSize: readonly [number, number, number];
  /** WGSL after the declarations: helper functions and `fn main` (without its attributes line). */
  body: string;
}

/** Builds a program: emits binding/uniform declarations, the entry point attributes and the cache key. */
export function defineProgram(spec: ProgramSpec): KernelProgram {
  const decls = spec.bindings.map(
    (b, i) => `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: array<${b.type}>;`,
  );
  if (spec.uniforms.length > 0) {
    decls.push(`struct Uniforms {\n${spec.uniforms.map((f) => `  ${f.name}: ${f.type},`).join('\n')}\n};`);
    decls.push(`@group(0) @binding(${spec.bindings.length}) var<uniform> u: Uniforms;`);
  }
  const [x, y, z] = spec.workgroupSize;
  const source = `${decls.join('\n')}\n\n${spec.body.replace('@entry', `@compute @workgroup_size(${x}, ${y}, ${z})`)}\n`;
  const params = Object.keys(spec.params)
    .sort()
    .map((k) => `${k}=${String(spec.params[k])}`)
    .join(',');
  return {
    key: `${spec.name}|${params}|wg=${x}x${y}x${z}`,
    source,
    bindings: spec.bindings,
    uniforms: spec.uniforms,
    workgroupSize: [x, y, z],
  };
}

/** Shorthand for the common 'read' storage binding. */
export function input(name: string, type: StorageElement = 'f32'): StorageBinding {
  return { name, type, access: 'read' };
}

/** Shorthand for a 'read_write' storage binding. */
export function output(name: string, type: StorageElement = 'f32'): StorageBinding {
  return { name, type, access: 'read_write' };
}

/** Uniform fields of one type, in order. */
export function fields(type: UniformField['type'], ...names: string[]): UniformField[] {
  return names.map((name) => ({ name, type }));
}
