// A training run's similarity source: 'policy' embeds the options with the run's initial weights once, the
// table rides in the snapshot, and a run resumed at step 2 ends with exactly the metrics and weights of an
// uninterrupted one (also when a checkpoint lost the table, for a run from scratch); 'onnx:' needs a table.
import { describe, expect, it } from 'vitest';
import { microFixture, microRunConfig } from '../rl/trainer/test-fixtures.ts';
import { GrpoTrainer, type TrainerFaults } from '../rl/trainer/trainer.ts';
import type { StepMetrics } from '../rl/metrics.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { defaultCurriculumConfig } from './config.ts';
import { packTable } from './embedding-table.ts';
import { policyEmbeddingTable } from './policy-embeddings.ts';
import { runSimilarity } from './run-similarity.ts';

const varied: TrainerFaults = { rewardOverride: (tokens) => (tokens[0] ?? 0) % 2 };
const timeless = (m: StepMetrics) => {
  const { step_time: _t, tokens_per_second: _r, ...rest } = m;
  return rest;
};
const curriculum = (similarity: string) => ({ curriculum: { ...defaultCurriculumConfig(), similarity } });

describe('run similarity in the trainer', () => {
  it("'policy': the snapshot keeps the initial embeddings and a resume equals an uninterrupted run", async () => {
    const { data, init } = microFixture();
    const config = microRunConfig(curriculum('policy'), { steps: 4 });
    const straight = GrpoTrainer.create(new CpuBackend(), config, data, init, varied);
    for (let i = 0; i < 4; i++) await straight.grpoStep();

    const first = GrpoTrainer.create(new CpuBackend(), config, data, init, varied);
    for (let i = 0; i < 2; i++) await first.grpoStep();
    const snap = structuredClone(await first.snapshot());
    first.dispose();
    // The table is the initial weights' (seeded: this fixture starts from scratch), not the trained ones'.
    const want = policyEmbeddingTable({ name: 'run start', config: init.model, tokenizer: init.tokenizer, weights: null }, straight.trainRecords.flatMap((r) => r.options));
    expect(snap.similarityTable?.source).toBe('policy');
    expect(Array.from(snap.similarityTable!.vectors)).toEqual(Array.from(want.vectors));
    expect(snap.similarityTable!.names).toEqual(want.names);

    const resumed = GrpoTrainer.restore(new CpuBackend(), snap, data, varied);
    // As a checkpoint written without the table would be restored: the seeded initial values are used.
    const lost = GrpoTrainer.restore(new CpuBackend(), { ...snap, similarityTable: undefined }, data, varied);
    for (let i = 0; i < 2; i++) {
      await resumed.grpoStep();
      await lost.grpoStep();
    }
    expect(resumed.metrics.map(timeless)).toEqual(straight.metrics.map(timeless));
    expect(lost.metrics.map(timeless)).toEqual(straight.metrics.map(timeless));
    const a = await straight.policy.params.readAll(), b = await resumed.policy.params.readAll();
    for (const [name, v] of a) expect(Array.from(b.get(name)!), name).toEqual(Array.from(v));
    // The curriculum saw the policy's similarities, not the lexicon's.
    const lexicon = GrpoTrainer.create(new CpuBackend(), microRunConfig(curriculum('lexicon'), { steps: 4 }), data, init, varied);
    await lexicon.grpoStep();
    expect(straight.metrics[0].answer_similarity).not.toBe(lexicon.metrics[0].answer_similarity);
    for (const t of [straight, resumed, lost, lexicon]) t.dispose();
  });

  it("'onnx:<name>' refuses to start without precomputed embeddings and runs on a given table", async () => {
    const { data, init } = microFixture();
    const config = microRunConfig(curriculum('onnx:tiny'), { steps: 2 });
    expect(() => GrpoTrainer.create(new CpuBackend(), config, data, init, varied)).toThrow(/Similarity 'onnx:tiny'.*Drop its model\.onnx and tokenizer\.json in the Curriculum panel/);
    const names = [...new Set(data.records.flatMap((r) => r.options).map((n) => n.toLowerCase()))].sort();
    const table = packTable('onnx:tiny', 'ONNX tiny', names, names.map((n) => Float32Array.of(n.length, n.charCodeAt(0), 1)));
    const t = GrpoTrainer.create(new CpuBackend(), config, data, { ...init, similarityTable: table }, varied);
    await t.grpoStep();
    const snap = await t.snapshot();
    expect(snap.similarityTable).toBe(table);
    t.dispose();
    expect(() => GrpoTrainer.create(new CpuBackend(), microRunConfig(curriculum('policy')), data, { ...init, similarityTable: table }, varied)).toThrow(/stored embeddings are for 'onnx:tiny'/);
  });

  it('the lexicon needs no table', () => {
    const { init } = microFixture();
    const r = runSimilarity('lexicon', undefined, { name: 'x', config: init.model, tokenizer: init.tokenizer, weights: null }, ['Liver']);
    expect(r.table).toBeNull();
    expect(r.source.id).toBe('lexicon');
  });
});
