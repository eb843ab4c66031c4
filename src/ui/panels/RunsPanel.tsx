// The Runs panel: Every training and evaluation run, compared side by side and shared as a URL.
import { Panel, Planned } from '../widgets/Panel.tsx';

export function RunsPanel() {
  return (
    <Panel id="runs" title="Runs" lede="Every training and evaluation run, compared side by side and shared as a URL.">
      <Planned
        issue={8}
        items={[
          'The run history kept in this browser, with overlaid curves and a diff of configs and results',
          'Export as JSON and CSV, import JSON, and the ablation table (GRPO, +ASCL, +GDQA, +both)',
          'Share: a run (never images or data) encoded in the URL fragment #run=v1.…',
        ]}
      />
    </Panel>
  );
}
