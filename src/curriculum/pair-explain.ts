// Why two answer names are as similar as the built-in lexicon says: which rule decided (same name, synonym,
// laterality, the structured region/system/kind/part-of score, or the character trigram fallback) and each
// term of the structured score. The Curriculum panel's pair explorer shows it; the total equals anatomySimilarity.

import { ADJACENT_REGIONS, FINE_REGIONS, RELATED_SYSTEMS, type CoarseRegion, type LexiconEntry } from './anatomy-lexicon.ts';
import { anatomySimilarity, LEXICON_WEIGHTS, lookupAnatomy, ngramCosine, normaliseName } from './similarity.ts';

/** The lexicon facts about one name, as shown next to it. */
export interface NameFacts {
  /** The name as typed. */
  input: string;
  /** Canonical lexicon name; null when the lexicon does not know the name. */
  canonical: string | null;
  /** The typed name is a synonym of the canonical one (not the canonical name itself). */
  viaSynonym: boolean;
  /** Laterality or similar qualifier removed to find it ('left', 'right', ...); '' when none. */
  qualifier: string;
  region: string | null;
  coarseRegion: CoarseRegion | null;
  system: string | null;
  kind: string | null;
}

/** One term of the structured score: weight x match = contribution. */
export interface ScoreTerm {
  term: 'base' | 'region' | 'system' | 'kind' | 'related';
  weight: number;
  /** 0..1: how far the two names agree on this term. */
  match: number;
  contribution: number;
  /** In words: 'same fine region (ruq)', 'adjacent coarse regions', ... */
  reason: string;
}

export interface PairExplanation {
  a: NameFacts;
  b: NameFacts;
  similarity: number;
  /** Which rule decided the value. */
  rule: 'same-name' | 'synonym' | 'laterality' | 'lexicon' | 'ngram';
  /** The rule in one sentence. */
  summary: string;
  /** The structured score's terms; empty unless rule is 'lexicon'. */
  terms: ScoreTerm[];
}

const ADJACENT = new Set(ADJACENT_REGIONS.flatMap(([x, y]) => [`${x}|${y}`, `${y}|${x}`]));
const RELATED_SYS = new Set(RELATED_SYSTEMS.flatMap(([x, y]) => [`${x}|${y}`, `${y}|${x}`]));

function facts(input: string): { facts: NameFacts; entry: LexiconEntry | null } {
  const m = lookupAnatomy(input);
  if (!m) {
    return { facts: { input, canonical: null, viaSynonym: false, qualifier: '', region: null, coarseRegion: null, system: null, kind: null }, entry: null };
  }
  const e = m.entry;
  const bare = normaliseName(input).replace(new RegExp(`^${m.qualifier ? m.qualifier + ' ' : ''}`), '');
  return {
    facts: {
      input,
      canonical: e.name,
      viaSynonym: bare !== normaliseName(e.name),
      qualifier: m.qualifier,
      region: e.region,
      coarseRegion: FINE_REGIONS[e.region] ?? null,
      system: e.system,
      kind: e.kind,
    },
    entry: e,
  };
}

function terms(a: LexiconEntry, b: LexiconEntry): ScoreTerm[] {
  const w = LEXICON_WEIGHTS;
  const ca = FINE_REGIONS[a.region];
  const cb = FINE_REGIONS[b.region];
  let region: [number, string];
  if (a.region === b.region) region = [1, `same fine region (${a.region})`];
  else if (ca === cb) region = [0.6, `same coarse region (${ca}), different fine regions`];
  else if (ca === 'whole-body' || cb === 'whole-body') region = [0.25, 'one spans the whole body'];
  else if (ADJACENT.has(`${ca}|${cb}`)) region = [0.25, `adjacent coarse regions (${ca}, ${cb})`];
  else region = [0, `distant regions (${ca}, ${cb})`];
  const system: [number, string] =
    a.system === b.system
      ? [1, `same organ system (${a.system})`]
      : RELATED_SYS.has(`${a.system}|${b.system}`)
        ? [0.5, `overlapping systems (${a.system}, ${b.system})`]
        : [0, `different systems (${a.system}, ${b.system})`];
  const kind: [number, string] = a.kind === b.kind ? [1, `both are a ${a.kind}`] : [0, `${a.kind} vs ${b.kind}`];
  const linked = a.related.includes(b.name) || b.related.includes(a.name);
  const related: [number, string] = linked ? [1, 'one is part of, holds or is attached to the other'] : [0, 'not directly linked'];
  const term = (t: ScoreTerm['term'], weight: number, [match, reason]: [number, string]): ScoreTerm => ({
    term: t,
    weight,
    match,
    contribution: weight * match,
    reason,
  });
  return [
    term('base', w.base, [1, 'floor for any two anatomical names']),
    term('region', w.region, region),
    term('system', w.system, system),
    term('kind', w.kind, kind),
    term('related', w.related, related),
  ];
}

/** Explains anatomySimilarity(a, b); `similarity` is exactly its value. */
export function explainPair(a: string, b: string): PairExplanation {
  const fa = facts(a);
  const fb = facts(b);
  const similarity = anatomySimilarity(a, b);
  const base = { a: fa.facts, b: fb.facts, similarity };
  if (normaliseName(a) === normaliseName(b)) {
    return { ...base, rule: 'same-name', summary: 'The same name (after case, spacing and trailing periods are ignored).', terms: [] };
  }
  if (fa.entry && fb.entry) {
    if (fa.entry === fb.entry) {
      if (fa.facts.qualifier !== fb.facts.qualifier) {
        return { ...base, rule: 'laterality', summary: `The same structure (${fa.entry.name}) with a different qualifier ('${fa.facts.qualifier || 'none'}' vs '${fb.facts.qualifier || 'none'}'): 0.9.`, terms: [] };
      }
      return { ...base, rule: 'synonym', summary: `Synonyms: both name ${fa.entry.name}.`, terms: [] };
    }
    return { ...base, rule: 'lexicon', summary: 'Both are in the lexicon: the sum of the structured terms below.', terms: terms(fa.entry, fb.entry) };
  }
  const unknown = [fa, fb].filter((x) => !x.entry).map((x) => `'${x.facts.input}'`);
  return {
    ...base,
    similarity: ngramCosine(a, b),
    rule: 'ngram',
    summary: `${unknown.join(' and ')} ${unknown.length > 1 ? 'are' : 'is'} not in the lexicon: cosine of character trigram counts.`,
    terms: [],
  };
}
