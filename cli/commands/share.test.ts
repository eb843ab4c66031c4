import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { share } from './share.ts';
import { parseArgs, UsageError } from '../command.ts';
import { sampleRunRecord } from '../../src/runs/sample-run.ts';
import { exportRunsJson } from '../../src/runs/export.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-share-'));
const run = (...argv: string[]) => share(parseArgs(argv));

async function usageError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no UsageError');
}

describe('lab share', () => {
  const file = join(dir, 'run.json');
  const record = sampleRunRecord(100);
  writeFileSync(file, JSON.stringify(record));

  it('encodes a run file to a URL and decodes it back', async () => {
    const encoded = await run('encode', file);
    const { url, bytes, dropped } = encoded.json as { url: string; bytes: number; dropped: string[] };
    expect(encoded.message).toBe(url);
    expect(url.startsWith('http://127.0.0.1:5173/#run=v1.')).toBe(true);
    expect(bytes).toBe(url.length);
    expect(dropped.length).toBeGreaterThan(0);
    const decoded = await run('decode', url, '--json', join(dir, 'out.json'));
    const history = (decoded.json as typeof record).history;
    expect(history.loggedPoints).toBe(100);
    expect(history.points[0].step).toBe(1);
    expect(history.points.at(-1)!.step).toBe(100);
    expect(history.points.at(-1)!.values.reward).toBeCloseTo(record.history.points[99].values.reward, 4);
    expect((decoded.json as typeof record).evals).toHaveLength(1);
    expect(decoded.message).toMatch(/^run 'run-sample' \(train, 100 points, 1 evaluations\)/);
  });

  it('takes --base and picks a run from a bundle with --id', async () => {
    const bundle = join(dir, 'bundle.json');
    writeFileSync(bundle, exportRunsJson([sampleRunRecord(5, 'run-a'), sampleRunRecord(5, 'run-b')]));
    const res = await run('encode', bundle, '--id', 'run-b', '--base', 'https://lab.example/x/');
    expect(res.message.startsWith('https://lab.example/x/#run=v1.')).toBe(true);
    expect(await usageError(run('encode', bundle))).toMatch(/holds 2 runs; choose one with --id \(run-a, run-b\)/);
    expect(await usageError(run('encode', bundle, '--id', 'nope'))).toMatch(/no run with id 'nope'/);
    expect(await usageError(run('encode', file, '--base', 'javascript:alert(1)'))).toMatch(/--base must be an http/);
  });

  it('exits 2 (UsageError) with the reason for bad input', async () => {
    expect(await usageError(run('decode', 'http://127.0.0.1:5173/#run=v9.AAAA'))).toMatch(/^unknown-version: .*newer version/);
    expect(await usageError(run('decode', '#run=v1.%%%'))).toMatch(/^bad-base64:/);
    expect(await usageError(run('decode'))).toMatch(/needs a URL/);
    expect(await usageError(run('encode', join(dir, 'missing.json')))).toMatch(/cannot read/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...record, kind: 'nope' }));
    expect(await usageError(run('encode', bad))).toMatch(/bad\.json: run 'run-sample': field kind/);
    expect(await usageError(run('frobnicate'))).toMatch(/unknown share action/);
  });
});
