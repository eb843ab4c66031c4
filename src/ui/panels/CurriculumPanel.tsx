// The Curriculum panel: Anatomical Similarity Curriculum. Where similarity comes from and the S(q) formula, the
// mode and pacing with every parameter, S(q)'s histogram and the pacing curve with a step to scrub, the queue the
// trainer would pose from that step with manual controls, and a pair explorer for the similarity itself.
import { useEffect } from 'react';
import { useCurriculumStore } from '../../store/curriculum.ts';
import { useDatasetsStore } from '../../store/datasets.ts';
import { Panel } from '../widgets/Panel.tsx';
import { CurriculumCharts } from './curriculum/CurriculumCharts.tsx';
import { PacingCard } from './curriculum/PacingCard.tsx';
import { PairExplorer } from './curriculum/PairExplorer.tsx';
import { ControlledCard, QueueCard } from './curriculum/QueueCard.tsx';
import { SourceCard } from './curriculum/SourceCard.tsx';

export function CurriculumPanel() {
  const initData = useDatasetsStore((s) => s.init);
  const datasets = useDatasetsStore((s) => s.datasets);
  const browsed = useDatasetsStore((s) => s.browser.datasetId);
  const dataJob = useDatasetsStore((s) => s.job);
  const dataStatus = useDatasetsStore((s) => s.status);
  const refresh = useCurriculumStore((s) => s.refresh);
  const status = useCurriculumStore((s) => s.status);
  const error = useCurriculumStore((s) => s.error);
  const hasAnalysis = useCurriculumStore((s) => s.analysis !== null);
  useEffect(() => {
    void initData();
  }, [initData]);
  useEffect(() => {
    void refresh();
  }, [refresh, datasets, browsed]);
  return (
    <Panel id="curriculum" title="Curriculum" lede="Anatomical Similarity Curriculum: easy (dissimilar) answer options first, confusable ones later.">
      {datasets.length === 0 && (
        <div className="card" data-testid="cur-no-data">
          <p className="muted">
            {dataJob ? `${dataJob.label}…` : dataStatus === 'loading' || dataStatus === 'idle' ? 'Reading the stored datasets…' : 'No dataset is stored yet: add one in the Data panel.'}
          </p>
        </div>
      )}
      {error && (
        <p className="cur-alert error" role="alert" data-testid="cur-error">
          {error}
        </p>
      )}
      <SourceCard />
      <PacingCard />
      {hasAnalysis ? (
        <>
          <CurriculumCharts />
          <QueueCard />
          <ControlledCard />
        </>
      ) : (
        datasets.length > 0 && status !== 'error' && <p className="muted">Measuring S(q)…</p>
      )}
      <PairExplorer />
    </Panel>
  );
}
