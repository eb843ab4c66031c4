// The Augmentation panel's state: the AugmentConfig being edited (kept in localStorage through
// restoreAugmentConfig, template families included), G, which questions to preview, and the worker's preview of
// their K variants (images as blob URLs, revoked when replaced). For the live view of a training run: which of
// the recent steps is shown, its thumbnails, and the run's GDQA totals read from the metric history.
import { create } from 'zustand';
import { defaultAugmentConfig, restoreAugmentConfig, type AugmentConfig } from '../augment/config.ts';
import { restoreTemplateFamilies, type TemplateFamily } from '../augment/templates.ts';
import type { MetricHistory } from '../runs/record.ts';
import type { EngineClient } from '../worker/client.ts';
import type { PreviewGroup, PreviewVariant } from '../worker/curriculum-protocol.ts';
import type { InspectorGroup, InspectorVariant } from '../worker/train-protocol.ts';
import { useCurriculumStore } from './curriculum.ts';
import { engine } from './engine.ts';

export const AUGMENT_STORAGE_KEY = 'anatomy-r1-lab.augment';

/** Which questions the preview shows. */
export interface PreviewSelection {
  /** step: the curriculum's batch at `step`; ids: the ids typed in `ids`. */
  mode: 'step' | 'ids';
  step: number;
  /** Comma- or space-separated record ids. */
  ids: string;
  /** Most questions shown; typical 3. */
  limit: number;
}

export type ShownVariant = PreviewVariant & { url: string | null };
export type ShownGroup = Omit<PreviewGroup, 'variants'> & { variants: ShownVariant[] };

/** A variant as the trainer sends it (kept as a name: the live view reads it). */
export type LiveVariant = InspectorVariant;

/** GDQA over a whole run, summed from the logged step rows (exact until the live history is thinned). */
export interface AugmentTotals {
  /** Steps whose row carries the augment/* counters. */
  steps: number;
  /** Groups split across more than one variant. */
  augmented: number;
  /** Of those, groups augmentation turned from zero-variance into informative (rl/metrics.ts turnedInformative). */
  informative: number;
  /** The history was thinned, so the sums cover the kept points only. */
  approximate: boolean;
}

export function augmentTotals(history: MetricHistory): AugmentTotals {
  const t: AugmentTotals = { steps: 0, augmented: 0, informative: 0, approximate: history.method !== 'none' };
  for (const p of history.points) {
    const a = p.values['augment/augmented_groups'];
    if (a === undefined) continue;
    t.steps++;
    t.augmented += a;
    t.informative += p.values['augment/informative_groups'] ?? 0;
  }
  return t;
}

/** Which recent step the live view shows: null follows the latest. */
export interface LiveView {
  step: number | null;
  /** `${datasetId}\u0000${imageRef}` -> blob URL of the stored image (transforms are applied on a canvas). */
  thumbs: Record<string, string>;
}

const thumbKey = (datasetId: string, ref: string) => `${datasetId}\u0000${ref}`;
export const liveThumb = (live: LiveView, datasetId: string, ref: string | null): string | undefined => (ref ? live.thumbs[thumbKey(datasetId, ref)] : undefined);

export interface AugmentState {
  config: AugmentConfig;
  configError: string | null;
  /** G, rollouts per group; typical 8. */
  groupSize: number;
  selection: PreviewSelection;
  groups: ShownGroup[];
  missing: string[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** Why the last template save was refused (names the family and field). */
  templateError: string | null;
  live: LiveView;

  setConfig(patch: Partial<AugmentConfig>): void;
  setOperators(patch: Partial<AugmentConfig['operators']>): void;
  setImage(patch: Partial<AugmentConfig['image']>): void;
  setGroupSize(g: number): void;
  setSelection(patch: Partial<PreviewSelection>): void;
  /** Validates and saves template families; returns whether they were taken. */
  saveTemplates(families: unknown): boolean;
  resetTemplates(): void;
  resetConfig(): void;
  refresh(): Promise<void>;
  /** Show the recent step with this many steps done, or follow the latest (null). */
  showLiveStep(step: number | null): void;
  /** Fetch the stored images of these groups (no-op for those held); `keep` are the groups still shown anywhere. */
  loadLiveThumbs(datasetId: string, groups: readonly InspectorGroup[], keep: readonly InspectorGroup[]): Promise<void>;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

function loadSaved(): { config: AugmentConfig; groupSize: number } {
  try {
    const raw = globalThis.localStorage?.getItem(AUGMENT_STORAGE_KEY);
    if (raw) {
      const o = JSON.parse(raw) as { config?: unknown; groupSize?: unknown };
      const g = Number(o.groupSize);
      return { config: restoreAugmentConfig(o.config, 'saved augmentation'), groupSize: Number.isInteger(g) && g >= 1 && g <= 256 ? g : 8 };
    }
  } catch {
    // Written by another version, or storage blocked: defaults.
  }
  return { config: defaultAugmentConfig(), groupSize: 8 };
}

function revoke(groups: ShownGroup[]): void {
  for (const g of groups) for (const v of g.variants) if (v.url) URL.revokeObjectURL(v.url);
}

export function createAugmentStore(client: () => EngineClient = engine) {
  let seq = 0;
  const saved = loadSaved();
  const liveInFlight = new Set<string>();

  return create<AugmentState>()((set, get) => {
    const persist = () => {
      try {
        globalThis.localStorage?.setItem(AUGMENT_STORAGE_KEY, JSON.stringify({ config: get().config, groupSize: get().groupSize }));
      } catch {
        // Blocked storage: the config lasts for this page only.
      }
    };
    const apply = (config: AugmentConfig) => {
      let configError: string | null = null;
      try {
        restoreAugmentConfig(config);
      } catch (err) {
        configError = messageOf(err);
      }
      set({ config, configError });
      if (!configError) {
        persist();
        void get().refresh();
      }
    };

    return {
      config: saved.config,
      configError: null,
      groupSize: saved.groupSize,
      selection: { mode: 'step', step: 0, ids: '', limit: 3 },
      groups: [],
      missing: [],
      status: 'idle',
      error: null,
      templateError: null,
      live: { step: null, thumbs: {} },

      setConfig: (patch) => apply({ ...get().config, ...patch }),
      setOperators: (patch) => apply({ ...get().config, operators: { ...get().config.operators, ...patch } }),
      setImage: (patch) => apply({ ...get().config, image: { ...get().config.image, ...patch } }),
      setGroupSize: (g) => {
        set({ groupSize: Number.isFinite(g) ? Math.min(256, Math.max(1, Math.round(g))) : 8 });
        persist();
        void get().refresh();
      },
      setSelection: (patch) => {
        set((s) => ({ selection: { ...s.selection, ...patch } }));
        void get().refresh();
      },
      saveTemplates: (families) => {
        let restored: TemplateFamily[];
        try {
          restored = restoreTemplateFamilies(families, 'templates');
        } catch (err) {
          // restore names the family by index; add its id so the user finds it in the list.
          const msg = messageOf(err);
          const i = Number(/^templates\[(\d+)\]/.exec(msg)?.[1]);
          const id = Array.isArray(families) && Number.isInteger(i) ? (families[i] as { id?: unknown } | undefined)?.id : undefined;
          set({ templateError: typeof id === 'string' && id ? `${msg} (family "${id}")` : msg });
          return false;
        }
        set({ templateError: null });
        apply({ ...get().config, templates: restored });
        return true;
      },
      resetTemplates: () => {
        set({ templateError: null });
        apply({ ...get().config, templates: null });
      },
      resetConfig: () => apply(defaultAugmentConfig()),

      showLiveStep: (step) => set((s) => ({ live: { ...s.live, step } })),

      loadLiveThumbs: async (datasetId, groups, keep) => {
        const refs = [...new Set(groups.map((g) => g.imageRef).filter((r): r is string => !!r))];
        const missing = refs.filter((r) => !(thumbKey(datasetId, r) in get().live.thumbs) && !liveInFlight.has(thumbKey(datasetId, r)));
        if (missing.length === 0) return;
        missing.forEach((r) => liveInFlight.add(thumbKey(datasetId, r)));
        try {
          const shots = await client().request('data/thumbnails', { datasetId, refs: missing });
          const added: Record<string, string> = {};
          for (const t of shots) if (t.png) added[thumbKey(datasetId, t.ref)] = URL.createObjectURL(new Blob([t.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
          // Keep what the recent steps still show; the rest is revoked, so a long run does not pile up blobs.
          const wanted = new Set(keep.flatMap((g) => (g.imageRef ? [thumbKey(datasetId, g.imageRef)] : [])));
          const next: Record<string, string> = {};
          for (const [k, url] of Object.entries({ ...get().live.thumbs, ...added })) {
            if (wanted.has(k)) next[k] = url;
            else URL.revokeObjectURL(url);
          }
          set((s) => ({ live: { ...s.live, thumbs: next } }));
        } catch {
          // Thumbnails are a convenience: the variants, rollouts and rewards show without them.
        } finally {
          missing.forEach((r) => liveInFlight.delete(thumbKey(datasetId, r)));
        }
      },

      refresh: async () => {
        const cur = useCurriculumStore.getState();
        const datasetId = cur.datasetId();
        const { config, configError, groupSize, selection } = get();
        if (!datasetId || configError) return;
        const ids = selection.ids.split(/[\s,]+/).filter(Boolean);
        if (selection.mode === 'ids' && ids.length === 0) {
          revoke(get().groups);
          set({ groups: [], missing: [], status: 'ready', error: null });
          return;
        }
        const mine = ++seq;
        set({ status: 'loading' });
        try {
          const p = await client().request('augment/preview', {
            datasetId,
            augment: config,
            groupSize,
            step: selection.step,
            limit: selection.limit,
            ...(selection.mode === 'ids'
              ? { recordIds: ids }
              : cur.configError
                ? {}
                : { curriculum: cur.config, steps: cur.plan.steps, batchSize: cur.plan.batchSize }),
          });
          if (mine !== seq) return;
          const groups: ShownGroup[] = p.groups.map((g) => ({
            ...g,
            variants: g.variants.map((v) => ({ ...v, url: v.png ? URL.createObjectURL(new Blob([v.png as Uint8Array<ArrayBuffer>], { type: 'image/png' })) : null })),
          }));
          revoke(get().groups);
          set({ groups, missing: p.missing, status: 'ready', error: null });
        } catch (err) {
          if (mine !== seq) return;
          set({ status: 'error', error: messageOf(err) });
        }
      },
    };
  });
}

export const useAugmentStore = createAugmentStore();
