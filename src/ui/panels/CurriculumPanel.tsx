// The Curriculum panel: Anatomical Similarity Curriculum: easy (dissimilar) answer options first, confusable ones later.
import { Panel, Planned } from '../widgets/Panel.tsx';

export function CurriculumPanel() {
  return (
    <Panel id="curriculum" title="Curriculum" lede="Anatomical Similarity Curriculum: easy (dissimilar) answer options first, confusable ones later.">
      <Planned
        issue={7}
        items={[
          'Answer similarity from the built-in anatomy lexicon, the policy embeddings, or your own ONNX text-embedding model',
          'A histogram of S(q), the mean similarity between the gold answer and its distractors',
          'The pacing curve (hold, then ramp to the natural level) with the current step marked',
          'The queue of upcoming questions with exclude, pin and move',
        ]}
      />
    </Panel>
  );
}
