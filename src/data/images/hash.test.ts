import { describe, it, expect } from 'vitest';
import { datasetFingerprint, sha256Hex, sha256Text } from './hash.ts';

describe('hashes', () => {
  it('SHA-256 matches the FIPS 180-2 test vector', async () => {
    expect(await sha256Text('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('fingerprint ignores record order but not ids or image bytes', async () => {
    const recs = [{ id: 'a', image: 'x.png' }, { id: 'b', image: 'y.png' }];
    const hashes = new Map([['x.png', '11'], ['y.png', '22']]);
    const f = await datasetFingerprint(recs, hashes);
    expect(await datasetFingerprint([...recs].reverse(), hashes)).toBe(f);
    expect(await datasetFingerprint([{ id: 'a', image: 'x.png' }, { id: 'c', image: 'y.png' }], hashes)).not.toBe(f);
    expect(await datasetFingerprint(recs, new Map([['x.png', '11'], ['y.png', '23']]))).not.toBe(f);
  });
});
