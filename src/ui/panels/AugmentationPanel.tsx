// The Augmentation panel: Group Diversity Question Augmentation: variants of a question that keep a GRPO group from collapsing to one answer.
import { Panel, Planned } from '../widgets/Panel.tsx';

export function AugmentationPanel() {
  return (
    <Panel id="augmentation" title="Augmentation" lede="Group Diversity Question Augmentation: variants of a question that keep a GRPO group from collapsing to one answer.">
      <Planned
        issue={7}
        items={[
          'Operators: option permutation, distractor redraw, template paraphrase, label-preserving image transforms',
          'Each group shown as its variants side by side with their rollouts, rewards and advantages',
          'A counter of groups that augmentation turned from zero-variance into informative',
        ]}
      />
    </Panel>
  );
}
