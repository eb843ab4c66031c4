// Option rotations for CircularEval (MMBench): a question with N options is asked N times, the options
// shifted cyclically each time, and counts as right only if every rotation is answered right.
import type { VqaRecord } from '../data/record.ts';

/**
 * The record with its options rotated left by `shift`: new option j is old option (j + shift) mod N, so the
 * gold index moves to (gold - shift) mod N. Shift 0 returns an equal copy. The id keeps the source id with
 * a '#rot<shift>' suffix so that per-rotation results stay traceable.
 */
export function rotateOptions(record: VqaRecord, shift: number): VqaRecord {
  const n = record.options.length;
  if (n === 0 || record.open) return { ...record };
  const s = ((shift % n) + n) % n;
  const options = record.options.map((_, j) => record.options[(j + s) % n]);
  const goldIndex = record.goldIndex < 0 ? -1 : (record.goldIndex - s + n) % n;
  return { ...record, id: s === 0 ? record.id : `${record.id}#rot${s}`, options, goldIndex };
}

/** Every rotation of a multiple-choice record (shift 0 first); an open question yields itself alone. */
export function optionRotations(record: VqaRecord): VqaRecord[] {
  const n = record.open ? 1 : Math.max(1, record.options.length);
  return Array.from({ length: n }, (_, shift) => rotateOptions(record, shift));
}
