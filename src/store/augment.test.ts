// The Augmentation store's live part: the run's GDQA totals summed from the logged step rows (steps logged before
// the counters existed are skipped; a thinned curve is flagged approximate), and the step the live view shows.
import { describe, expect, it } from 'vitest';
import type { MetricHistory } from '../runs/record.ts';
import { augmentTotals, createAugmentStore, liveThumb } from './augment.ts';

const history = (rows: Array<Record<string, number>>, method: MetricHistory['method'] = 'none'): MetricHistory => ({
  points: rows.map((values, i) => ({ step: i + 1, values })),
  loggedPoints: rows.length,
  method,
});

describe('augmentTotals', () => {
  it('sums augmented and informative groups over the steps that log them', () => {
    const h = history([
      { reward: 0 }, // a row from before the counters: not a step with GDQA numbers
      { reward: 1, 'augment/augmented_groups': 4, 'augment/informative_groups': 1 },
      { reward: 1, 'augment/augmented_groups': 3, 'augment/informative_groups': 0 },
      { reward: 2, 'augment/augmented_groups': 4, 'augment/informative_groups': 2 },
    ]);
    expect(augmentTotals(h)).toEqual({ steps: 3, augmented: 11, informative: 3, approximate: false });
  });

  it('is empty without steps and approximate on a thinned curve', () => {
    expect(augmentTotals(history([]))).toEqual({ steps: 0, augmented: 0, informative: 0, approximate: false });
    expect(augmentTotals(history([{ 'augment/augmented_groups': 1 }], 'lttb'))).toEqual({ steps: 1, augmented: 1, informative: 0, approximate: true });
  });
});

describe('live view', () => {
  it('follows the latest step until one is chosen, and keys thumbnails by dataset and image', () => {
    const store = createAugmentStore();
    expect(store.getState().live.step).toBeNull();
    store.getState().showLiveStep(2);
    expect(store.getState().live.step).toBe(2);
    store.getState().showLiveStep(null);
    expect(store.getState().live.step).toBeNull();
    const live = { step: null, thumbs: { 'ds\u0000img/1.png': 'blob:1' } };
    expect(liveThumb(live, 'ds', 'img/1.png')).toBe('blob:1');
    expect(liveThumb(live, 'other', 'img/1.png')).toBeUndefined();
    expect(liveThumb(live, 'ds', null)).toBeUndefined();
  });
});
