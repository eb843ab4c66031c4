// Words and numbers for the Data panel: format names, dates, fingerprints, confidence, and sorted counts.
import type { DatasetMeta } from '../../../data/index.ts';

/** Short names for the dataset list (the worker's readers carry the long ones). */
export const FORMAT_NAMES: Record<DatasetMeta['format'], string> = {
  omnimedvqa: 'OmniMedVQA',
  'sgg-vqa': 'SGG-VQA',
  'med-r1': 'Med-R1',
  'medvlm-r1': 'MedVLM-R1',
  'vqa-rad': 'VQA-RAD',
  'vlmevalkit-tsv': 'VLMEvalKit TSV',
  'generic-table': 'JSONL / CSV',
  parquet: 'Parquet',
  synth: 'AnatomySynth',
};

export function formatName(format: string): string {
  return (FORMAT_NAMES as Record<string, string>)[format] ?? format;
}

/** '2026-11-25 14:03' in local time; '—' for a missing date. */
export function formatDate(ms: number): string {
  if (!ms) return '—';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function shortFingerprint(fp: string): string {
  return fp ? fp.slice(0, 10) : '—';
}

export function confidenceWords(c: number): string {
  const pct = `${Math.round(c * 100)}%`;
  if (c >= 0.9) return `${pct}, certain`;
  if (c >= 0.6) return `${pct}, likely`;
  return `${pct}, a guess`;
}

/** Count table rows, largest first, ties by name; '(unknown)' last. */
export function sortedCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a, x], [b, y]) => {
    if ((a === '(unknown)') !== (b === '(unknown)')) return a === '(unknown)' ? 1 : -1;
    return y - x || a.localeCompare(b);
  });
}

export function splitWords(bySplit: Record<string, number>): string {
  const parts = sortedCounts(bySplit).map(([k, v]) => `${k} ${v.toLocaleString()}`);
  return parts.length ? parts.join(' · ') : '—';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
