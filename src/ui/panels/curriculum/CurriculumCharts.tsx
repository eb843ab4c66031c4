// The histogram of S(q) over the dataset with the current target marked, the pacing curve with the current step
// marked, and the slider that scrubs the step (the queue below follows it).
import { useMemo } from 'react';
import { useCurriculumStore } from '../../../store/curriculum.ts';
import { Histogram } from '../../widgets/Histogram.tsx';
import { LineChart, type Series } from '../../widgets/LineChart.tsx';
import { fmtS } from './fields.tsx';

export function CurriculumCharts() {
  const analysis = useCurriculumStore((s) => s.analysis);
  const step = useCurriculumStore((s) => s.step);
  const steps = useCurriculumStore((s) => s.plan.steps);
  const setStep = useCurriculumStore((s) => s.setStep);
  const values = useMemo(() => analysis?.questions.map((q) => q.similarity) ?? [], [analysis]);
  const series: Series[] = useMemo(() => {
    if (!analysis) return [];
    return [
      { name: 'target batch-mean S(q)', points: analysis.curve.map((p) => [p.step, p.meanTarget] as const), color: '#0f766e' },
      { name: 'pacing level (0 easiest, 1 natural)', points: analysis.curve.map((p) => [p.step, p.level] as const), color: '#4f46e5', dashed: true },
      { name: 'natural mean S(q) (plain GRPO)', points: [[0, analysis.naturalMean], [Math.max(1, steps - 1), analysis.naturalMean]], color: '#9aa7ad', dashed: true },
    ];
  }, [analysis, steps]);
  const here = analysis?.queue.find((q) => q.step === step);
  const byType = useMemo(() => {
    const acc = new Map<string, { n: number; sum: number }>();
    for (const q of analysis?.questions ?? []) {
      const key = q.questionType || 'no type';
      const a = acc.get(key) ?? { n: 0, sum: 0 };
      a.n++;
      a.sum += q.similarity;
      acc.set(key, a);
    }
    return [...acc].sort((x, y) => y[1].n - x[1].n);
  }, [analysis]);
  return (
    <div className="card" data-testid="cur-charts">
      <div className="cur-charts">
        <Histogram title="S(q) over the dataset" values={values} bins={20} xLabel="S(q): mean similarity of gold and distractors" markerX={here?.meanTarget} />
        <LineChart title="Pacing curve" series={series} yDomain={[0, 1]} markerX={step} xLabel="step" />
      </div>
      <div className="cur-scrub">
        <label htmlFor="cur-step">Step</label>
        <input id="cur-step" type="range" min={0} max={Math.max(0, steps - 1)} value={step} onChange={(e) => setStep(Number(e.target.value))} data-testid="cur-step" />
        <span className="cur-step-readout" data-testid="cur-step-readout">
          <b>{step}</b> of {steps} · progress {(step / steps).toFixed(2)} · level {fmtS(here?.level, 2)} · target mean S(q) {fmtS(here?.meanTarget)}
          {analysis && <> · natural mean {fmtS(analysis.naturalMean)}</>}
        </span>
      </div>
      {byType.length > 0 && (
        <p className="cur-note" data-testid="cur-by-type">
          <b>Mean S(q) by question type:</b>{' '}
          {byType.map(([type, a], i) => (
            <span key={type}>
              {i > 0 && ' · '}
              {type} {fmtS(a.sum / a.n)} <span className="muted">({a.n.toLocaleString()})</span>
            </span>
          ))}
        </p>
      )}
      <p className="muted cur-note">
        The orange marks are the scrubbed step on the curve and its target mean S(q) on the histogram. Without redraw the target is the mean of the
        questions the step may draw from.
      </p>
    </div>
  );
}
