// Top navigation: one tab per panel, in the order a researcher works (data first, runs last).
import { PANELS, useUiStore, type PanelId } from '../../store/ui.ts';

export const PANEL_TITLES: Record<PanelId, string> = {
  data: 'Data',
  model: 'Model',
  curriculum: 'Curriculum',
  augmentation: 'Augmentation',
  train: 'Train',
  evaluate: 'Evaluate',
  runs: 'Runs',
};

export function NavBar() {
  const panel = useUiStore((s) => s.panel);
  const openPanel = useUiStore((s) => s.openPanel);
  return (
    <header className="navbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">◆</span>
        <span className="brand-name">Anatomy-R1 Lab</span>
      </div>
      <nav aria-label="Panels">
        <ul role="tablist">
          {PANELS.map((id) => (
            <li key={id}>
              <button
                role="tab"
                aria-selected={panel === id}
                className={panel === id ? 'tab active' : 'tab'}
                onClick={() => openPanel(id)}
                data-panel={id}
              >
                {PANEL_TITLES[id]}
              </button>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
