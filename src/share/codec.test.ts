import { describe, it, expect } from 'vitest';
import { deflateSync } from 'fflate';
import { decodeRunUrl, encodeRunUrl, DEFAULT_SHARE_BASE, SHARE_LIMITS } from './codec.ts';
import { ShareDecodeError, type ShareErrorCode } from './errors.ts';
import { base64UrlDecode, base64UrlEncode } from './base64url.ts';
import { inflateLimited, InflateLimitError } from './inflate-limited.ts';
import { sampleRunRecord } from '../runs/sample-run.ts';
import type { RunRecord } from '../runs/record.ts';

/** A URL carrying arbitrary JSON text, as an attacker would build one. */
const urlOfText = (text: string, version = 'v1'): string =>
  `${DEFAULT_SHARE_BASE}#run=${version}.${base64UrlEncode(deflateSync(new TextEncoder().encode(text)))}`;
const urlOfJson = (value: unknown): string => urlOfText(JSON.stringify(value));

function refusal(url: string, options?: Parameters<typeof decodeRunUrl>[1]): ShareDecodeError {
  try {
    decodeRunUrl(url, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ShareDecodeError);
    return err as ShareDecodeError;
  }
  throw new Error(`decoded without error: ${url.slice(0, 80)}`);
}
const expectCode = (url: string, code: ShareErrorCode): ShareDecodeError => {
  const err = refusal(url);
  expect(err.code).toBe(code);
  expect(err.message.length).toBeGreaterThan(10);
  return err;
};

describe('base64url', () => {
  it('round-trips every length and refuses bad text', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      expect(base64UrlDecode(base64UrlEncode(bytes))).toEqual(bytes);
    }
    expect(base64UrlEncode(new TextEncoder().encode('\u00ff\u00fe?>'))).toBe(Buffer.from('\u00ff\u00fe?>').toString('base64url'));
    expect(() => base64UrlDecode('ab+c')).toThrow('character "+" at position 2 is not base64url');
    expect(() => base64UrlDecode('abcde')).toThrow(/length 5/);
    expect(() => base64UrlDecode('ab==')).toThrow(/not base64url/);
    expect(() => base64UrlDecode('AB')).toThrow(/padding bits/); // 'AB' leaves bits set: 'AA' is canonical
  });
});

describe('encodeRunUrl / decodeRunUrl round trip', () => {
  it('a small run goes in whole and comes back equal', () => {
    const run = sampleRunRecord(20);
    const res = encodeRunUrl(run);
    expect(res.url.startsWith(`${DEFAULT_SHARE_BASE}#run=v1.`)).toBe(true);
    expect(res.bytes).toBe(res.url.length);
    expect(res.withinBudget).toBe(true);
    const back = decodeRunUrl(res.url);
    // Only per-record ids are left out, and the encoder says so.
    expect(res.dropped).toEqual(['record ids behind 7 confusion-matrix entries (counts kept)', 'ids of 6 unextractable records (count kept)']);
    expect(back.history).toEqual(run.history);
    expect(back.config).toEqual(run.config);
    expect(back.evals[0].report.overall).toEqual(run.evals[0].report.overall);
    expect(back.evals[0].report.confusion!.counts).toEqual(run.evals[0].report.confusion!.counts);
    expect(back.evals[0].report.unextractable.count).toBe(6);
    expect({ ...back, evals: [] }).toEqual({ ...run, evals: [] });
  });

  it('a long run is thinned to fit the budget, keeping first and last steps', () => {
    const run = sampleRunRecord(3000);
    const res = encodeRunUrl(run, { base: 'https://lab.example/app/' });
    expect(res.withinBudget).toBe(true);
    expect(res.bytes).toBeLessThanOrEqual(SHARE_LIMITS.encodeBudgetChars);
    expect(res.dropped.some((d) => /metric curves thinned from 3000 to \d+ points/.test(d))).toBe(true);
    const back = decodeRunUrl(res.url);
    expect(back.history.loggedPoints).toBe(3000);
    expect(back.history.method).toBe('lttb');
    expect(back.history.points.length).toBeGreaterThan(100); // binary search keeps as many as fit
    expect(res.dropped).toContain('metric curve values rounded to 5 significant digits');
    // First and last steps kept; values rounded to 5 significant digits, so within 5e-5 relative.
    for (const [got, want] of [[back.history.points[0], run.history.points[0]], [back.history.points.at(-1)!, run.history.points.at(-1)!]]) {
      expect(got.step).toBe(want.step);
      for (const [k, v] of Object.entries(want.values)) expect(Math.abs(got.values[k] - v)).toBeLessThanOrEqual(5e-5 * Math.abs(v));
    }
    expect(back.evals[0].report.overall).toEqual(run.evals[0].report.overall);
  });

  it('says when even the thinnest run is over budget', () => {
    const res = encodeRunUrl(sampleRunRecord(50), { budgetChars: 200 });
    expect(res.withinBudget).toBe(false);
    expect(res.dropped.at(-1)).toMatch(/over the 200-character budget/);
    expect(decodeRunUrl(res.url).history.points).toHaveLength(2);
  });

  it('accepts the fragment, run= and the bare payload, and other fragment parameters', () => {
    const { url } = encodeRunUrl(sampleRunRecord(5));
    const fragment = url.slice(url.indexOf('#'));
    const run = decodeRunUrl(url);
    expect(decodeRunUrl(fragment)).toEqual(run);
    expect(decodeRunUrl(fragment.slice(1))).toEqual(run);
    expect(decodeRunUrl(fragment.slice('#run='.length))).toEqual(run);
    expect(decodeRunUrl(`${DEFAULT_SHARE_BASE}#panel=runs&${fragment.slice(1)}`)).toEqual(run);
  });

  it('keeps script-like strings as inert text', () => {
    const run = sampleRunRecord(3);
    run.name = '<script>alert(1)</script>';
    run.notes = '<img src=x onerror=alert(1)> javascript:alert(1)';
    const back = decodeRunUrl(encodeRunUrl(run).url);
    expect(back.name).toBe('<script>alert(1)</script>');
    expect(back.notes).toBe(run.notes);
  });

  it('refuses to encode an invalid run', () => {
    const run = sampleRunRecord(3);
    run.history.points[1].values.kl = NaN;
    expect(() => encodeRunUrl(run)).toThrow(/history\.points\.1\.values\.kl/);
  });
});

describe('decodeRunUrl refuses malicious and broken links cleanly', () => {
  const good = (): RunRecord => JSON.parse(JSON.stringify(sampleRunRecord(4))) as RunRecord;

  it('empty, missing run, bad format', () => {
    expectCode('', 'empty');
    expectCode('   ', 'empty');
    expectCode('http://127.0.0.1:5173/#panel=runs', 'no-run');
    expectCode('http://127.0.0.1:5173/', 'no-run');
    expectCode('#run=', 'bad-format');
    expectCode('#run=hello', 'bad-format');
    expectCode('#run=v1.', 'corrupt');
  });

  it('unknown versions get a clear message', () => {
    const err = expectCode(urlOfJson(good()).replace('#run=v1.', '#run=v9.'), 'unknown-version');
    expect(err.message).toMatch(/newer version of the lab \(format v9\); this lab reads up to v1/);
    expectCode('#run=v0.AAAA', 'unknown-version');
  });

  it('migrates an old version through the migration path', () => {
    // A fake v1 payload of a lab whose current format is v2: v1 -> v2 renames 'title' to 'name'.
    const { name, ...rest } = good();
    const old = urlOfText(JSON.stringify({ ...rest, title: name }), 'v1');
    const migrations = { 1: (p: unknown) => { const { title, ...r } = p as { title: string }; return { ...r, name: title }; } };
    expect(decodeRunUrl(old, { currentVersion: 2, migrations }).name).toBe(name);
    expect(refusal(old, { currentVersion: 2, migrations: {} }).code).toBe('unknown-version');
    const throwing = { 1: () => { throw new Error('boom'); } };
    expect(refusal(old, { currentVersion: 2, migrations: throwing }).message).toMatch(/could not be brought up to date: boom/);
  });

  it('invalid base64 and over-long text', () => {
    expectCode('#run=v1.abc$def', 'bad-base64');
    expectCode('#run=v1.a', 'bad-base64');
    expectCode('#run=v1.' + 'A'.repeat(SHARE_LIMITS.maxUrlChars), 'too-long');
  });

  it('truncated or garbled compressed data', () => {
    const { url } = encodeRunUrl(sampleRunRecord(30));
    const data = url.slice(url.indexOf('v1.') + 3);
    const cut = data.slice(0, 4 * Math.floor(data.length / 8)); // whole base64 quads: the bytes decode, the stream ends early
    expectCode(`#run=v1.${cut}`, 'corrupt');
    expectCode(`#run=v1.${base64UrlEncode(new TextEncoder().encode('not deflate at all, just text'))}`, 'corrupt');
  });

  it('a deflate bomb is refused without inflating it whole', () => {
    const bomb = deflateSync(new Uint8Array(32 * 1024 * 1024), { level: 9 }); // 32 MiB of zeros in ~32 KB
    const b64 = base64UrlEncode(bomb);
    expect(b64.length).toBeLessThan(SHARE_LIMITS.maxUrlChars); // it passes the first size check
    expectCode(`#run=v1.${b64}`, 'too-large');
    try {
      inflateLimited(bomb, 1024 * 1024);
      throw new Error('not refused');
    } catch (err) {
      expect(err).toBeInstanceOf(InflateLimitError);
      expect((err as InflateLimitError).produced).toBeLessThan(2 * 1024 * 1024); // stopped near the limit, not at 32 MiB
    }
  });

  it('bytes that are not UTF-8, text that is not JSON', () => {
    const latin1 = `#run=v1.${base64UrlEncode(deflateSync(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])))}`;
    expectCode(latin1, 'bad-utf8');
    expectCode(urlOfText('{"id": '), 'not-json');
    expectCode(urlOfText('NaN'), 'not-json');
  });

  it('__proto__, constructor and prototype keys, anywhere, without pollution', () => {
    const text = JSON.stringify(good());
    const proto = refusal(urlOfText(text.replace('"grpo":{', '"grpo":{"__proto__":{"isAdmin":true},')));
    expect(proto.code).toBe('forbidden-key');
    expect(proto.field).toBe('config.grpo.__proto__');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expectCode(urlOfText(text.replace('{', '{"__proto__":{"polluted":1},')), 'forbidden-key');
    expectCode(urlOfText(text.replace('"model":{', '"model":{"constructor":{"prototype":{"x":1}},')), 'forbidden-key');
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('wrong types, unknown keys, NaN and Infinity', () => {
    const wrongType = good() as unknown as Record<string, unknown>;
    wrongType.config = 'seed=1';
    const err = expectCode(urlOfJson(wrongType), 'invalid');
    expect(err.field).toBe('config');
    expect(err.message).toMatch(/shared link: run 'run-sample': field config/);

    expectCode(urlOfJson({ ...good(), extra: 1 }), 'invalid');
    const nested = good() as unknown as { adapter: Record<string, unknown> };
    nested.adapter.driver = 'x';
    expectCode(urlOfJson(nested), 'invalid');

    // JSON has no NaN: 1e999 parses to Infinity, and 'NaN' arrives as a string.
    const inf = urlOfText(JSON.stringify(good()).replace('"seed":42', '"seed":1e999'));
    expect(refusal(inf).field).toBe('config.seed');
    const nanString = good() as unknown as { history: { points: { values: Record<string, unknown> }[] } };
    nanString.history.points[0].values.reward = 'NaN';
    expect(refusal(urlOfJson(nanString)).field).toBe('history.points.0.values.reward');
    const bigInConfig = urlOfText(JSON.stringify(good()).replace('"beta":0.04', '"beta":-1e999'));
    expect(refusal(bigInConfig).field).toMatch(/^config\.grpo\.beta/);

    expectCode(urlOfJson([good()]), 'invalid');
    expectCode(urlOfJson('a string'), 'invalid');
    expectCode(urlOfJson(null), 'invalid');
  });

  it('over-long strings and too-deep nesting', () => {
    expectCode(urlOfJson({ ...good(), name: 'x'.repeat(5000) }), 'invalid');
    const deep = good() as unknown as { config: { model: Record<string, unknown> } };
    let v: unknown = 1;
    for (let i = 0; i < 40; i++) v = { a: v };
    deep.config.model.deep = v;
    expectCode(urlOfJson(deep), 'forbidden-key');
  });

  it('never throws anything but ShareDecodeError on random input', () => {
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.#=v%&';
    for (let t = 0; t < 300; t++) {
      const len = Math.floor(rand() * 200);
      let s = '#run=v1.';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      try {
        decodeRunUrl(s);
      } catch (err) {
        expect(err).toBeInstanceOf(ShareDecodeError);
      }
    }
  });
});
