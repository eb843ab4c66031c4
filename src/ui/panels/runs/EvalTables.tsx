// A run's evaluations as tables: Overall, then one row per category of each dimension (question type,
// modality, anatomy, source), one column per metric, with the unextractable count shown rather than hidden.
import { CATEGORY_DIMENSIONS, type GroupScore } from '../../../eval/report.ts';
import type { RunRecord } from '../../../runs/record.ts';
import { formatMetric } from './format-run.ts';

const DIMENSION_NAMES: Record<(typeof CATEGORY_DIMENSIONS)[number], string> = {
  questionType: 'question type',
  modality: 'modality',
  anatomy: 'anatomy',
  source: 'source',
};

export function EvalTables({ run }: { run: RunRecord }) {
  if (run.evals.length === 0) return null;
  return (
    <section className="runs-section" data-testid="eval-tables">
      <h3>Evaluations</h3>
      {run.evals.map((e, i) => {
        const groups: Array<[string, string, GroupScore]> = [['', 'Overall', e.report.overall]];
        for (const d of CATEGORY_DIMENSIONS) for (const [label, g] of Object.entries(e.report.byCategory[d])) groups.push([DIMENSION_NAMES[d], label, g]);
        const metrics = [...new Set(groups.flatMap(([, , g]) => Object.keys(g.metrics)))];
        const u = e.report.unextractable;
        return (
          <div key={`${i}-${e.name}`} className="runs-eval">
            <p className="runs-eval-title">
              <b>{e.name}</b>{' '}
              <span className="muted">
                {e.step >= 0 ? `policy at step ${e.step}` : 'external or pretrained model'} · {e.report.task} · could not extract {u.count} of {u.total} (
                {formatMetric(u.rate * 100)}%)
              </span>
            </p>
            <div className="runs-scroll">
              <table className="data runs-matrix">
                <thead>
                  <tr>
                    <th>dimension</th>
                    <th>category</th>
                    <th className="num">questions</th>
                    {metrics.map((m) => (
                      <th key={m} className="num">{m}</th>
                    ))}
                    <th className="num">unextractable</th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map(([dimension, label, g]) => (
                    <tr key={`${dimension}/${label}`} className={dimension === '' ? 'runs-overall' : undefined}>
                      <td className="muted">{dimension}</td>
                      <td>{label}</td>
                      <td className="num">{g.n}</td>
                      {metrics.map((m) => (
                        <td key={m} className="num">{formatMetric(g.metrics[m]?.value)}</td>
                      ))}
                      <td className="num">{g.unextractable}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        );
      })}
    </section>
  );
}
