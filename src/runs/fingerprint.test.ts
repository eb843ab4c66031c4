import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { datasetFingerprint } from './fingerprint.ts';

describe('datasetFingerprint', () => {
  const items = [
    { id: 'q2', imageHash: 'bb' },
    { id: 'q1', imageHash: 'aa' },
  ];
  it('is SHA-256 over sorted id/hash lines (checked against node:crypto)', async () => {
    const expected = createHash('sha256').update('q1\taa\nq2\tbb\n').digest('hex');
    expect(await datasetFingerprint(items)).toBe(`sha256:${expected}`);
  });
  it('ignores order, but not ids or pixels', async () => {
    const a = await datasetFingerprint(items);
    expect(await datasetFingerprint([...items].reverse())).toBe(a);
    expect(await datasetFingerprint([items[0], { id: 'q1', imageHash: 'ab' }])).not.toBe(a);
    expect(await datasetFingerprint([items[0]])).not.toBe(a);
  });
});
