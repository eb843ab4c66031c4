// One VLMEvalKit-style table per metric: Overall, then one column per question type, modality, anatomy label
// and source dataset, grouped under a header row naming the breakdown. Cells are accuracy in percent; the
// number of questions behind each cell is in its tooltip.
import { metricLabel } from '../../../eval/config.ts';
import { accuracyTable } from '../../../eval/tables.ts';
import type { EvalReport } from '../../../eval/report.ts';

const GROUP_NAMES: Record<string, string> = {
  overall: '',
  questionType: 'Question type',
  modality: 'Modality',
  anatomy: 'Anatomy',
  source: 'Source',
};

const METRIC_NOTES: Record<string, string> = {
  blind: ' with every image withheld',
  'question-only': ' of the option most often gold for the same question text in the train split (no model)',
};

export const formatPercent = (v: number | null) => (v === null ? '—' : (100 * v).toFixed(1));

export function AccuracyTables({ report }: { report: EvalReport }) {
  const metrics = report.config.metrics.map((m) => metricLabel(m, report.config.k));
  return (
    <div className="eval-tables" data-testid="eval-tables">
      {metrics.map((metric) => {
        const table = accuracyTable([{ name: report.policy, report }], metric);
        const groups: Array<{ dimension: string; span: number }> = [];
        for (const c of table.columns) {
          const last = groups[groups.length - 1];
          if (last && last.dimension === c.dimension) last.span++;
          else groups.push({ dimension: c.dimension, span: 1 });
        }
        return (
          <section key={metric} className="eval-table-block">
            <h3>
              {metric} <span className="muted">accuracy{METRIC_NOTES[metric] ?? ''}, %</span>
            </h3>
            <div className="eval-scroll">
              <table className="data eval-table" data-testid={`eval-table-${metric}`}>
                <thead>
                  <tr>
                    <th rowSpan={2}>Model</th>
                    {groups.map((g, i) => (
                      <th key={`${g.dimension}-${i}`} colSpan={g.span} className={`eval-group ${g.dimension === 'overall' ? 'eval-overall' : ''}`}>
                        {GROUP_NAMES[g.dimension]}
                      </th>
                    ))}
                  </tr>
                  <tr>
                    {table.columns.map((c) => (
                      <th key={`${c.dimension}/${c.label}`} className={`num ${c.dimension === 'overall' ? 'eval-overall' : ''}`}>
                        {c.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map((r) => (
                    <tr key={r.name}>
                      <td className="eval-model">{r.name}</td>
                      {r.values.map((v, i) => (
                        <td key={i} className={`num ${i === 0 ? 'eval-overall' : ''}`} title={r.n[i] === null ? 'not measured' : `${r.n[i]} questions`}>
                          {formatPercent(v)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </div>
  );
}
