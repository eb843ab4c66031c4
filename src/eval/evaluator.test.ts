import { describe, it, expect } from 'vitest';
import { evaluatePolicy } from './evaluator.ts';
import { VqaTask } from './task.ts';
import { accuracyTable, formatAccuracyTable } from './tables.ts';
import { UNEXTRACTED_COLUMN } from './report.ts';
import type { EvalPolicy, EvalPrompt, GenerateOptions, Generation } from './policy.ts';
import type { VqaRecord } from '../data/record.ts';
import { evalReportSchema } from '../runs/schema.ts';
import { fitQuestionPrior } from './question-only.ts';

const SGG = ['Liver', 'Cystic Plate', 'Gut', 'Abdominal Wall Cavity'];
const mc = (id: string, goldIndex: number): VqaRecord => ({
  id, image: `${id}.png`, question: 'What anatomy is at the top-left of the frame ?', options: SGG, goldIndex,
  answer: SGG[goldIndex], open: false, questionType: 'Anatomy Identification', modality: 'endoscopy',
  anatomy: SGG[goldIndex], source: 'SGG-VQA', split: 'test',
});
const records: VqaRecord[] = [
  mc('r1', 3),
  mc('r2', 0),
  mc('r3', 2),
  mc('r4', 2),
  {
    id: 'r5', image: 'synpic29265.jpg', question: 'Is there airspace consolidation on the left side?', options: [], goldIndex: -1,
    answer: 'Yes', open: true, questionType: 'PRES', modality: 'X-Ray', anatomy: '', source: 'VQA-RAD', split: 'test',
  },
];

/** The letter the prompt text gives to an option text: checks that prompts show the rotated options. */
function letterOf(prompt: EvalPrompt, text: string): string {
  const line = prompt.text.split('\n').find((l) => l.slice(3) === text);
  if (!line) throw new Error(`option '${text}' not in prompt`);
  return line[0];
}

/**
 * Scripted test double: r1 is always right (finds its gold text in the prompt, so every rotation is right),
 * r2 always says 'A' (right only unrotated), r3 never gives an answer, r4 names the first option's text,
 * r5 answers 'yes.'. Sample j of r2 is right for j < 2, of r5 for j = 0.
 */
class ScriptedPolicy implements EvalPolicy {
  readonly name = 'scripted';
  readonly calls: GenerateOptions[] = [];
  private sampleIndex = new Map<string, number>();

  async generate(prompts: readonly EvalPrompt[], options: GenerateOptions): Promise<Generation[]> {
    this.calls.push(options);
    return prompts.map((p) => {
      const base = p.record.id.split('#')[0];
      let j = -1;
      if (options.temperature > 0) {
        j = this.sampleIndex.get(base) ?? 0;
        this.sampleIndex.set(base, j + 1);
      }
      const text = this.answer(base, p, j);
      return { text, tokens: text.length };
    });
  }

  private answer(id: string, p: EvalPrompt, sample: number): string {
    switch (id) {
      case 'r1': return `<think>wall</think><answer>${letterOf(p, 'Abdominal Wall Cavity')}</answer>`;
      case 'r2': return sample < 0 || sample < 2 ? '<answer>A</answer>' : `<answer>${letterOf(p, 'Gut')}</answer>`;
      case 'r3': return '<think>I cannot tell</think>';
      case 'r4': return `The answer looks like ${p.record.options[0]}.`;
      case 'r5': return sample <= 0 ? '<answer>yes.</answer>' : '<answer>No</answer>';
      default: throw new Error(id);
    }
  }

  async scoreOptions(prompt: EvalPrompt, continuations: readonly string[]): Promise<number[][]> {
    const gold = prompt.record.goldIndex;
    if (prompt.record.id === 'r4') return [[-0.2, -0.2, -0.2], [-5], [-0.5], [-5]]; // sum picks 2 (gold), mean picks 0
    return continuations.map((_, o) => (o === gold ? [-0.1] : [-2]));
  }
}

function fakeClock(step = 10): () => number {
  let t = 0;
  return () => (t += step);
}

describe('evaluatePolicy with a scripted policy', () => {
  const task = new VqaTask('mini', records, { shuffle: false });

  it('computes greedy, Avg@5, CircularEval and likelihood as worked out by hand', async () => {
    const policy = new ScriptedPolicy();
    const report = await evaluatePolicy(policy, task, {
      config: { metrics: ['greedy', 'avgk', 'circular', 'likelihood'], k: 5, batchSize: 2 },
      now: fakeClock(),
    });
    const m = report.overall.metrics;
    expect(m.greedy).toEqual({ n: 5, value: 3 / 5 }); // r1, r2, r5
    expect(m['avg@5'].value).toBeCloseTo((1 + 2 / 5 + 0 + 0 + 1 / 5) / 5, 12);
    expect(m.circular).toEqual({ n: 4, value: 1 / 4 }); // only r1 survives every rotation
    expect(m.likelihood).toEqual({ n: 4, value: 3 / 4 }); // mean log-prob misleads on r4

    // Unextractable bucket: r3's greedy, 5 samples and 3 rotations, of 5 + 25 + 12 completions.
    expect(report.unextractable).toMatchObject({ count: 9, total: 42, ids: ['r3'] });
    expect(report.unextractable.rate).toBeCloseTo(9 / 42, 12);
    expect(report.unextractable.byReason).toEqual({ 'no option letter or option text found': 9 });
    expect(report.overall.unextractable).toBe(9);

    // Categories: one column per label, unknown anatomy ('' for r5) gets no column.
    expect(Object.keys(report.byCategory.anatomy)).toEqual(['Abdominal Wall Cavity', 'Gut', 'Liver']);
    expect(report.byCategory.anatomy.Gut.metrics.greedy).toEqual({ n: 2, value: 0 });
    expect(report.byCategory.source['VQA-RAD'].metrics.greedy).toEqual({ n: 1, value: 1 });
    expect(report.byCategory.source['VQA-RAD'].metrics.circular).toEqual({ n: 0, value: 0 });
    expect(report.byCategory.modality.endoscopy.metrics['avg@5'].value).toBeCloseTo((1 + 0.4) / 4, 12);

    // Confusion: r3 (Gut) could not be extracted, r4 (Gut) was answered 'Liver'.
    const c = report.confusion!;
    expect(c.labels).toEqual(['Abdominal Wall Cavity', 'Gut', 'Liver']);
    const gut = c.labels.indexOf('Gut');
    expect(c.ids[gut][c.columns.indexOf('Liver')]).toEqual(['r4']);
    expect(c.ids[gut][c.columns.indexOf(UNEXTRACTED_COLUMN)]).toEqual(['r3']);
    expect(c.counts[c.labels.indexOf('Liver')][c.columns.indexOf('Liver')]).toBe(1);
    expect(c.counts.flat().reduce((a, b) => a + b, 0)).toBe(4);

    // Timing with a clock that ticks 10 ms per read: 3 + 15 + 6 generate calls and 4 scoring calls.
    expect(report.throughput).toMatchObject({ questions: 5, generations: 42, scoringCalls: 4 });
    expect(report.throughput.latencyMs).toEqual({ mean: 10, p50: 10, p95: 10 });
    expect(report.throughput.wallMs).toBe((1 + 2 * 28) * 10);
    expect(report.throughput.tokensPerSecond).toBeGreaterThan(0);

    // Greedy calls use temperature 0; sampled calls get distinct seeds per sample and batch.
    const sampled = policy.calls.filter((o) => o.temperature > 0);
    expect(sampled).toHaveLength(15);
    expect(new Set(sampled.map((o) => o.seed)).size).toBe(15);

    // What the evaluator writes is what a run record (and a shared URL) accepts.
    expect(evalReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('likelihood by summed log-prob rescues r4', async () => {
    const report = await evaluatePolicy(new ScriptedPolicy(), task, { config: { metrics: ['likelihood'], likelihoodReduce: 'sum' } });
    expect(report.overall.metrics).toEqual({ likelihood: { n: 4, value: 1 } });
    expect(report.confusion).toBeNull();
  });

  it('is deterministic: same config, same report', async () => {
    const run = () => evaluatePolicy(new ScriptedPolicy(), new VqaTask('mini', records, { seed: 5 }), {
      config: { metrics: ['greedy', 'avgk'], k: 3 }, now: fakeClock(),
    });
    expect(await run()).toEqual(await run());
  });

  it('makes VLMEvalKit tables: Overall first, then every category column', async () => {
    const report = await evaluatePolicy(new ScriptedPolicy(), task, { config: { metrics: ['greedy'] } });
    const table = accuracyTable([{ name: 'scripted', report }], 'greedy');
    expect(table.columns.map((c) => c.label)).toEqual([
      'Overall', 'Anatomy Identification', 'PRES', 'X-Ray', 'endoscopy', 'Abdominal Wall Cavity', 'Gut', 'Liver', 'SGG-VQA', 'VQA-RAD',
    ]);
    expect(table.rows[0].values[0]).toBe(0.6);
    const text = formatAccuracyTable(table);
    expect(text.split('\n')[2]).toBe('| scripted | 60.0 | 50.0 | 100.0 | 100.0 | 50.0 | 100.0 | 0.0 | 100.0 | 50.0 | 100.0 |');
    expect(accuracyTable([{ name: 'x', report }], 'circular').rows[0].values.every((v) => v === null)).toBe(true);
  });

  it('names a policy that returns the wrong number of completions, and honours abort', async () => {
    const short: EvalPolicy = { name: 'short', generate: async () => [], scoreOptions: async () => [] };
    await expect(evaluatePolicy(short, task)).rejects.toThrow(/policy 'short' returned 0 completions for 5 prompts/);
    const controller = new AbortController();
    controller.abort();
    await expect(evaluatePolicy(new ScriptedPolicy(), task, { signal: controller.signal })).rejects.toThrow();
  });
});

describe('the image-blind metric', () => {
  /** Reads the image: right whenever it has one; without it, always answers 'A'. */
  class ImageReader implements EvalPolicy {
    readonly name = 'image-reader';
    readonly seen: string[] = [];
    async generate(prompts: readonly EvalPrompt[]): Promise<Generation[]> {
      return prompts.map((p) => {
        this.seen.push(`${p.record.id}:${p.record.image}`);
        const letter = p.record.image ? 'ABCD'[p.record.goldIndex] : 'A';
        return { text: `<answer>${letter}</answer>`, tokens: 3 };
      });
    }
    async scoreOptions(): Promise<number[][]> {
      throw new Error('not asked');
    }
  }
  const textOnly: VqaRecord = { ...mc('t1', 1), image: '' };
  const task = new VqaTask('blind', [mc('b1', 0), mc('b2', 1), mc('b3', 2), mc('b4', 0), textOnly]);

  it('asks again without the image; greedy minus blind is what the image adds', async () => {
    const policy = new ImageReader();
    const report = await evaluatePolicy(policy, task, { config: { metrics: ['greedy', 'blind'] }, now: fakeClock() });
    const m = report.overall.metrics;
    expect(m.greedy).toEqual({ n: 5, value: 4 / 5 }); // t1 has no image to read
    expect(m.blind).toEqual({ n: 4, value: 2 / 4 }); // only b1 and b4 have gold 'A'; t1 is not asked twice
    expect(policy.seen.filter((s) => s.endsWith(':')).sort()).toEqual(['b1:', 'b2:', 'b3:', 'b4:', 't1:']); // t1 once, greedy
    expect(report.overall.generations).toBe(9);
    expect(evalReportSchema.safeParse(report).success).toBe(true);
  });
});

describe('the question-only metric', () => {
  const noModel: EvalPolicy = {
    name: 'unused',
    generate: async () => {
      throw new Error('the question-only metric asks no model');
    },
    scoreOptions: async () => {
      throw new Error('not asked');
    },
  };
  const asked = (id: string, question: string, goldIndex: number, questionType: string): VqaRecord => ({ ...mc(id, goldIndex), question, questionType });
  // Training counts: 'top-left' was Liver twice and Gut once; 'bottom' was Gut once; Gut is gold most often overall.
  const train = [
    asked('x1', 'What is at the top-left?', 0, 'loc'),
    asked('x2', 'What is at the top-left?', 0, 'loc'),
    asked('x3', 'What is at the top-left?', 2, 'loc'),
    asked('x4', 'What is at the bottom?', 2, 'loc'),
    asked('x5', 'Which is brown?', 2, 'att'),
  ];
  const prior = fitQuestionPrior(train);
  const openOne: VqaRecord = { ...records[4], id: 'o1', questionType: 'att' };
  const task = new VqaTask('q-only', [
    asked('q1', 'What is at the top-left?', 0, 'loc'), // Liver by its text: right
    asked('q2', 'what is at the TOP-LEFT ?', 1, 'loc'), // the same text, gold Cystic Plate: wrong
    asked('q3', 'A question never seen?', 2, 'att'), // unseen text: Gut, the most common gold overall: right
    asked('q4', 'Which is brown?', 3, 'att'), // Gut by its text, gold Abdominal Wall Cavity: wrong
    openOne, // open: not counted
  ]);

  it('answers each multiple-choice question from the training counts of its text, without asking the policy', async () => {
    const report = await evaluatePolicy(noModel, task, { config: { metrics: ['question-only'] }, questionPrior: prior, now: fakeClock() });
    expect(report.overall.metrics['question-only']).toEqual({ n: 4, value: 2 / 4 });
    expect(report.byCategory.questionType.loc.metrics['question-only']).toEqual({ n: 2, value: 1 / 2 });
    expect(report.byCategory.questionType.att.metrics['question-only']).toEqual({ n: 2, value: 1 / 2 });
    expect(report.overall.generations).toBe(0);
    expect(accuracyTable([{ name: 'text', report }], 'question-only').rows[0].values[0]).toBe(0.5);
    // The open question's source (VQA-RAD) has no multiple-choice question: its cell measured nothing and reads '-'.
    expect(report.byCategory.source['VQA-RAD'].metrics['question-only']).toEqual({ n: 0, value: 0 });
    const table = accuracyTable([{ name: 'text', report }], 'question-only');
    const rad = table.columns.findIndex((c) => c.label === 'VQA-RAD');
    expect([table.rows[0].values[rad], table.rows[0].n[rad]]).toEqual([null, 0]);
    expect(formatAccuracyTable(table).split('\n')[2].split(' | ').at(-1)).toBe('- |');
    expect(evalReportSchema.safeParse(report).success).toBe(true);
  });

  it('refuses to run without training counts', async () => {
    await expect(evaluatePolicy(noModel, task, { config: { metrics: ['question-only'] } })).rejects.toThrow(/question-only metric needs training questions/);
  });
});
