import { describe, it, expect } from 'vitest';
import { restoreRunRecord, RunRecordError } from './restore.ts';
import { sampleRunRecord } from './sample-run.ts';
import { guardJson } from './json-guard.ts';
import { migrateRunRecord } from './migrate.ts';
import { emptyRunRecord, metricPoint } from './record.ts';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function expectRefused(value: unknown, pattern: RegExp, field?: string): void {
  let error: unknown;
  try {
    restoreRunRecord(value, 'runs.json');
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(RunRecordError);
  expect((error as Error).message).toMatch(pattern);
  if (field !== undefined) expect((error as RunRecordError).field).toBe(field);
}

describe('restoreRunRecord', () => {
  it('accepts a valid record unchanged (a JSON round trip)', () => {
    const run = sampleRunRecord(50);
    expect(restoreRunRecord(clone(run))).toEqual(run);
    const empty = emptyRunRecord('run-1', 'eval', '2026-11-25T10:00:00Z');
    expect(restoreRunRecord(clone(empty))).toEqual(empty);
  });

  it('names file, run and field for a wrong type', () => {
    const bad2 = clone(sampleRunRecord(3)) as unknown as { history: { points: { step: unknown }[] } };
    bad2.history.points[1].step = 'two';
    expectRefused(bad2, /^runs\.json: run 'run-sample': field history\.points\.1\.step: /, 'history.points.1.step');
  });

  it('refuses unknown keys, non-finite numbers, bad enums and dates', () => {
    const extra = { ...clone(sampleRunRecord(3)), evil: true };
    expectRefused(extra, /Unrecognized key.*'evil'/);
    const inf = clone(sampleRunRecord(3));
    inf.history.points[0].values.reward = Infinity;
    expectRefused(inf, /history\.points\.0\.values\.reward/);
    const kind = { ...clone(sampleRunRecord(3)), kind: 'hack' };
    expectRefused(kind, /field kind/);
    const date = { ...clone(sampleRunRecord(3)), createdAt: 'yesterday' };
    expectRefused(date, /field createdAt: must be an ISO 8601/);
    const cell = clone(sampleRunRecord(3));
    cell.evals[0].report.overall.metrics.greedy.value = 1.5;
    expectRefused(cell, /evals\.0\.report\.overall\.metrics\.greedy\.value: must be in \[0, 1\]/);
    const short = clone(sampleRunRecord(3));
    short.history.loggedPoints = 1;
    expectRefused(short, /loggedPoints/);
  });

  it('refuses prototype-polluting keys anywhere, without polluting', () => {
    const text = JSON.stringify(sampleRunRecord(2)).replace('"grpo":{', '"grpo":{"__proto__":{"polluted":1},');
    const parsed = JSON.parse(text);
    expectRefused(parsed, /forbidden key '__proto__' at 'config\.grpo\.__proto__'/, 'config.grpo.__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const ctor = JSON.parse(JSON.stringify(sampleRunRecord(2)).replace('"model":{', '"model":{"constructor":{"prototype":1},'));
    expectRefused(ctor, /forbidden key 'constructor' at 'config\.model\.constructor'/);
  });

  it('refuses non-objects and over-long strings', () => {
    expectRefused(null, /must be a JSON object/);
    expectRefused([sampleRunRecord(1)], /must be a JSON object/);
    expectRefused({ ...clone(sampleRunRecord(1)), name: 'x'.repeat(201) }, /field name/);
  });

  it('migrates by version: newer refused, missing treated as 1, a registered step applied', () => {
    expectRefused({ ...clone(sampleRunRecord(1)), version: 2 }, /version 2 was written by a newer lab/);
    const { version: _dropped, ...noVersion } = clone(sampleRunRecord(1));
    expect(restoreRunRecord(noVersion).version).toBe(1);
    // A fake v1 -> v2 migration: the lab of tomorrow renames notes to comment.
    const migrated = migrateRunRecord({ version: 1, notes: 'hi' }, { 1: ({ notes, ...rest }) => ({ ...rest, comment: notes }) }, 2);
    expect(migrated).toEqual({ version: 2, comment: 'hi' });
    expect(() => migrateRunRecord({ version: 1 }, {}, 3)).toThrow(/no migration from version 1 to 2/);
  });
});

describe('guardJson and metricPoint', () => {
  it('refuses too-deep nesting and non-plain objects', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => guardJson(deep)).toThrow(/nested deeper than 32/);
    expect(() => guardJson({ d: new Date() })).toThrow(/not a plain object/);
    expect(() => guardJson({ f: () => 1 })).toThrow(/holds a function/);
    expect(() => guardJson({ a: [1, 'x', null, { b: true }] })).not.toThrow();
  });
  it('metricPoint drops non-finite values', () => {
    expect(metricPoint(3, { reward: 0.5, kl: NaN, loss: Infinity })).toEqual({ step: 3, values: { reward: 0.5 } });
  });
});
