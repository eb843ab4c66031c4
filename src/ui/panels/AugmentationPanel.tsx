// The Augmentation panel: Group Diversity Question Augmentation. The AugmentConfig editor, the paraphrase
// template families, a preview of the K variants GDQA builds for chosen questions, and the place where each
// group's rollouts, rewards and advantages will show once the GRPO trainer runs (stated plainly, never faked).
import { useEffect } from 'react';
import { useAugmentStore } from '../../store/augment.ts';
import { useCurriculumStore } from '../../store/curriculum.ts';
import { useDatasetsStore } from '../../store/datasets.ts';
import { Panel } from '../widgets/Panel.tsx';
import { AugmentConfigCard } from './augmentation/AugmentConfigCard.tsx';
import { GroupPreview } from './augmentation/GroupPreview.tsx';
import { TemplatesCard } from './augmentation/TemplatesCard.tsx';

export function AugmentationPanel() {
  const initData = useDatasetsStore((s) => s.init);
  const datasets = useDatasetsStore((s) => s.datasets);
  const browsed = useDatasetsStore((s) => s.browser.datasetId);
  const chosen = useCurriculumStore((s) => s.chosenDatasetId);
  const curriculum = useCurriculumStore((s) => s.config);
  const refresh = useAugmentStore((s) => s.refresh);
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
      <AugmentConfigCard />
      <GroupPreview />
      <div className="card planned" data-testid="aug-training">
        <h2>During training: rollouts, rewards and advantages per variant</h2>
        <p className="muted">
          This area fills during training, once the GRPO trainer (issue #6) runs groups through it: for each group, every variant’s rollouts with their rewards
          and pooled advantages, the zero-variance flag, and a counter of groups that augmentation turned from zero-variance into informative. No training has
          run, so nothing is shown here.
        </p>
      </div>
      <TemplatesCard />
    </Panel>
  );
}
