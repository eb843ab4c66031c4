// Runs side by side: overlaid curves of the picked metrics, a results table (final logged values, then
// evaluation Overall) and a config diff table. Used for the local selection and for a shared run with the
// local runs overlaid on it.
import { useMemo, useState } from 'react';
import { configDiff, overlaidCurves, resultsTable } from '../../../runs/compare.ts';
import type { RunRecord } from '../../../runs/record.ts';
import { LineChart, SERIES_COLORS, type Series } from '../../widgets/LineChart.tsx';
import { defaultMetrics, formatConfigValue, formatMetric, metricNames, runLabels } from './format-run.ts';

export function RunComparison({ runs, idPrefix }: { runs: readonly RunRecord[]; idPrefix: string }) {
  const labels = useMemo(() => runLabels(runs), [runs]);
  return (
    <div className="runs-comparison" data-testid={`${idPrefix}-comparison`}>
      <CurvesSection runs={runs} labels={labels} idPrefix={idPrefix} />
      <ResultsSection runs={runs} labels={labels} idPrefix={idPrefix} />
      <ConfigDiffSection runs={runs} labels={labels} idPrefix={idPrefix} />
    </div>
  );
}

const colorOf = (i: number): string => SERIES_COLORS[i % SERIES_COLORS.length];

/** A run's column header: its colour on the charts and its label. */
function RunHeader({ label, index, numeric }: { label: string; index: number; numeric: boolean }) {
  return (
    <th className={numeric ? 'num runs-col' : 'runs-col'} title={label}>
      <i className="runs-swatch" style={{ background: colorOf(index) }} />
      <span className="runs-col-label">{label}</span>
    </th>
  );
}

function CurvesSection({ runs, labels, idPrefix }: { runs: readonly RunRecord[]; labels: string[]; idPrefix: string }) {
  const available = useMemo(() => metricNames(runs), [runs]);
  const [picked, setPicked] = useState<string[] | null>(null);
  // Until the user picks, follow the runs' metrics; a picked metric no longer logged by any run drops out.
  const shown = (picked ?? defaultMetrics(available)).filter((m) => available.includes(m));
  const toggle = (m: string) => setPicked(shown.includes(m) ? shown.filter((x) => x !== m) : [...shown, m]);
  if (available.length === 0) {
    return (
      <section className="runs-section">
        <h3>Curves</h3>
        <p className="muted">No metric was logged by {runs.length === 1 ? 'this run' : 'these runs'}.</p>
      </section>
    );
  }
  return (
    <section className="runs-section">
      <div className="runs-section-head">
        <h3>Curves</h3>
        <span className="muted">by optimizer step; hover a chart to read the values</span>
      </div>
      <div className="runs-metric-picker" role="group" aria-label="metrics to plot" data-testid={`${idPrefix}-metric-picker`}>
        {available.map((m) => (
          <label key={m} className={shown.includes(m) ? 'runs-chip on' : 'runs-chip'}>
            <input type="checkbox" checked={shown.includes(m)} onChange={() => toggle(m)} />
            {m}
          </label>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="muted">Pick a metric above to plot it.</p>
      ) : (
        <div className="runs-charts">
          {shown.map((metric) => (
            <MetricChart key={metric} runs={runs} labels={labels} metric={metric} />
          ))}
        </div>
      )}
    </section>
  );
}

function MetricChart({ runs, labels, metric }: { runs: readonly RunRecord[]; labels: string[]; metric: string }) {
  const series = useMemo(
    (): Series[] => overlaidCurves(runs, metric).map((c, i) => ({ name: labels[i], points: c.points, color: colorOf(i) })),
    [runs, labels, metric],
  );
  // The x axis is named in the section heading: the widget's own label would sit on the last tick.
  return <LineChart title={metric} series={series} width={560} height={240} />;
}

function ResultsSection({ runs, labels, idPrefix }: { runs: readonly RunRecord[]; labels: string[]; idPrefix: string }) {
  const rows = useMemo(() => resultsTable(runs), [runs]);
  return (
    <section className="runs-section">
      <h3>Results</h3>
      {rows.length === 0 ? (
        <p className="muted">No results logged.</p>
      ) : (
        <div className="runs-scroll">
          <table className="data runs-matrix" data-testid={`${idPrefix}-results`}>
            <thead>
              <tr>
                <th>metric</th>
                {labels.map((l, i) => (
                  <RunHeader key={l} label={l} index={i} numeric />
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.metric} data-metric={row.metric}>
                  <td className="runs-path">{row.metric}</td>
                  {row.values.map((v, i) => (
                    <td key={labels[i]} className="num">{formatMetric(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ConfigDiffSection({ runs, labels, idPrefix }: { runs: readonly RunRecord[]; labels: string[]; idPrefix: string }) {
  const [onlyDifferences, setOnlyDifferences] = useState(true);
  const all = useMemo(() => configDiff(runs), [runs]);
  const differing = all.filter((r) => r.differs).length;
  // One run has nothing to differ from: show its whole config.
  const filter = onlyDifferences && runs.length > 1;
  const rows = filter ? all.filter((r) => r.differs) : all;
  return (
    <section className="runs-section">
      <div className="runs-section-head">
        <h3>{runs.length > 1 ? 'Config diff' : 'Config'}</h3>
        {runs.length > 1 && (
          <>
            <span className="muted">
              {differing} of {all.length} fields differ
            </span>
            <label className="runs-toggle">
              <input type="checkbox" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.target.checked)} /> only differences
            </label>
          </>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="muted">These runs have the same config, seed, dataset, build and adapter.</p>
      ) : (
        <div className="runs-scroll">
          <table className="data runs-matrix" data-testid={`${idPrefix}-config-diff`}>
            <thead>
              <tr>
                <th>field</th>
                {labels.map((l, i) => (
                  <RunHeader key={l} label={l} index={i} numeric={false} />
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.path} className={row.differs && runs.length > 1 ? 'differs' : undefined}>
                  <td className="runs-path">{row.path}</td>
                  {row.values.map((v, i) => (
                    <td key={labels[i]} className="runs-value">{formatConfigValue(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
