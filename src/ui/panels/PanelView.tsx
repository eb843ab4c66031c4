// Renders the open panel. Each panel lives in its own file; panels still being built say what they will hold.
import type { PanelId } from '../../store/ui.ts';
import { DataPanel } from './DataPanel.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { CurriculumPanel } from './CurriculumPanel.tsx';
import { AugmentationPanel } from './AugmentationPanel.tsx';
import { TrainPanel } from './TrainPanel.tsx';
import { EvaluatePanel } from './EvaluatePanel.tsx';
import { RunsPanel } from './RunsPanel.tsx';

export function PanelView({ panel }: { panel: PanelId }) {
  switch (panel) {
    case 'data':
      return <DataPanel />;
    case 'model':
      return <ModelPanel />;
    case 'curriculum':
      return <CurriculumPanel />;
    case 'augmentation':
      return <AugmentationPanel />;
    case 'train':
      return <TrainPanel />;
    case 'evaluate':
      return <EvaluatePanel />;
    case 'runs':
      return <RunsPanel />;
  }
}
