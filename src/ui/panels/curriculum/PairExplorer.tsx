// Type two structure names and see the built-in similarity and why: synonym, laterality, the lexicon's region /
// system / kind / part-of terms, or the character trigram fallback for names it does not know.
import { useEffect } from 'react';
import { useCurriculumStore } from '../../../store/curriculum.ts';
import type { PairExplanation } from '../../../worker/curriculum-protocol.ts';
import { fmtS } from './fields.tsx';

const RULE_TEXT: Record<PairExplanation['rule'], string> = {
  'same-name': 'same name',
  synonym: 'synonym',
  laterality: 'laterality',
  lexicon: 'lexicon terms',
  ngram: 'trigram fallback',
};

export function PairExplorer() {
  const pair = useCurriculumStore((s) => s.pair);
  const explain = useCurriculumStore((s) => s.explainPair);
  useEffect(() => {
    if (!useCurriculumStore.getState().pair.result) void explain(useCurriculumStore.getState().pair.a, useCurriculumStore.getState().pair.b);
  }, [explain]);
  const r = pair.result;
  return (
    <div className="card" data-testid="cur-pair">
      <h2>Pair explorer</h2>
      <div className="row">
        <input value={pair.a} onChange={(e) => void explain(e.target.value, pair.b)} aria-label="first structure" data-testid="pair-a" placeholder="e.g. Liver" />
        <span className="muted">vs</span>
        <input value={pair.b} onChange={(e) => void explain(pair.a, e.target.value)} aria-label="second structure" data-testid="pair-b" placeholder="e.g. Gallbladder" />
        {r && (
          <span className="cur-pair-value" data-testid="pair-value">
            sim = <b>{fmtS(r.similarity)}</b> <span className="badge on">{RULE_TEXT[r.rule]}</span>
          </span>
        )}
      </div>
      {pair.error && <p className="cur-alert error">{pair.error}</p>}
      {r && (
        <>
          <p className="cur-note">{r.summary}</p>
          <table className="cur-table cur-facts">
            <thead>
              <tr>
                <th>name</th>
                <th>lexicon entry</th>
                <th>region</th>
                <th>system</th>
                <th>kind</th>
              </tr>
            </thead>
            <tbody>
              {[r.a, r.b].map((f, i) => (
                <tr key={i}>
                  <td>{f.input}</td>
                  <td>
                    {f.canonical ?? <span className="muted">not in the lexicon</span>}
                    {f.viaSynonym && <span className="muted"> (synonym)</span>}
                    {f.qualifier && <span className="muted"> ({f.qualifier})</span>}
                  </td>
                  <td>{f.region ? `${f.region} (${f.coarseRegion})` : '—'}</td>
                  <td>{f.system ?? '—'}</td>
                  <td>{f.kind ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.terms.length > 0 && (
            <table className="cur-table cur-terms" data-testid="pair-terms">
              <thead>
                <tr>
                  <th>term</th>
                  <th>weight</th>
                  <th>match</th>
                  <th>adds</th>
                  <th>why</th>
                </tr>
              </thead>
              <tbody>
                {r.terms.map((t) => (
                  <tr key={t.term}>
                    <td>{t.term}</td>
                    <td>{t.weight.toFixed(2)}</td>
                    <td>{t.match.toFixed(2)}</td>
                    <td>{t.contribution.toFixed(3)}</td>
                    <td className="muted">{t.reason}</td>
                  </tr>
                ))}
                <tr className="cur-total">
                  <td colSpan={3}>sum</td>
                  <td>{fmtS(r.similarity)}</td>
                  <td />
                </tr>
              </tbody>
            </table>
          )}
        </>
      )}
    </div>
  );
}
