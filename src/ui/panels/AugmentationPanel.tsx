// The Augmentation panel: Group Diversity Question Augmentation. The AugmentConfig editor, the paraphrase
// template families, a preview of the K variants GDQA builds for chosen questions, and, live from a training run
// of this tab, each group's variants with their rollouts, rewards and advantages and the turned-informative count.
import { useEffect } from 'react';
import { useAugmentStore } from '../../store/augment.ts';
import { useCurriculumStore } from '../../store/curriculum.ts';
import { useDatasetsStore } from '../../store/datasets.ts';
import { useTrainingStore } from '../../store/training.ts';
import { Panel } from '../widgets/Panel.tsx';
import { AugmentConfigCard } from './augmentation/AugmentConfigCard.tsx';
import { GroupPreview } from './augmentation/GroupPreview.tsx';
import { LiveGroups } from './augmentation/LiveGroups.tsx';
import { TemplatesCard } from './augmentation/TemplatesCard.tsx';

export function AugmentationPanel() {
  const initData = useDatasetsStore((s) => s.init);
  const datasets = useDatasetsStore((s) => s.datasets);
  const browsed = useDatasetsStore((s) => s.browser.datasetId);
  const chosen = useCurriculumStore((s) => s.chosenDatasetId);
  const curriculum = useCurriculumStore((s) => s.config);
  const refresh = useAugmentStore((s) => s.refresh);
  // A run in this tab (running or ended) puts its live groups first; before any run they follow the preview.
  const hasRun = useTrainingStore((s) => s.runConfig !== null);
  useEffect(() => {
    void initData();
  }, [initData]);
  useEffect(() => {
    void refresh();
  }, [refresh, datasets, browsed, chosen, curriculum]);
  return (
    <Panel id="augmentation" title="Augmentation" lede="Group Diversity Question Augmentation: variants of a question that keep a GRPO group from collapsing to one answer.">
      {datasets.length === 0 && (
        <div className="card">
          <p className="muted">No dataset is stored yet (AnatomySynth is made on first start in the Data panel).</p>
        </div>
      )}
      {hasRun && <LiveGroups />}
      <AugmentConfigCard />
      <GroupPreview />
      {!hasRun && <LiveGroups />}
      <TemplatesCard />
    </Panel>
  );
}
