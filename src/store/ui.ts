// Which panel is open. Mirrored into the query string (?panel=train) so a reload or a bookmark keeps it;
// the fragment is left free for shared runs (#run=v1....).
import { create } from 'zustand';

export const PANELS = ['data', 'model', 'curriculum', 'augmentation', 'train', 'evaluate', 'runs'] as const;
export type PanelId = (typeof PANELS)[number];

function panelFromUrl(): PanelId {
  if (typeof location === 'undefined') return 'data';
  const p = new URLSearchParams(location.search).get('panel');
  return (PANELS as readonly string[]).includes(p ?? '') ? (p as PanelId) : 'data';
}

interface UiStore {
  panel: PanelId;
  openPanel: (panel: PanelId) => void;
}

export const useUiStore = create<UiStore>((set) => ({
  panel: panelFromUrl(),
  openPanel: (panel) => {
    const url = new URL(location.href);
    url.searchParams.set('panel', panel);
    history.replaceState(null, '', url);
    set({ panel });
  },
}));
