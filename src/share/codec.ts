// The run URL codec: `#run=v1.<base64url of deflate-raw of the run record's JSON>`. Encoding fits the run
// into a budget by thinning curves and says what it dropped; decoding treats the URL as hostile: size
// limits before and after decompression, strict base64url, a bounded inflate, a key guard, versioned
// migration and the strict run-record schema. Every failure is a ShareDecodeError with a readable message.
import { deflateSync } from 'fflate';
import { downsampleHistory } from '../runs/downsample.ts';
import { guardJson, JsonGuardError } from '../runs/json-guard.ts';
import type { RunRecord } from '../runs/record.ts';
import { restoreRunRecord, RunRecordError } from '../runs/restore.ts';
import { base64UrlDecode, base64UrlEncode, Base64UrlError } from './base64url.ts';
import { ShareDecodeError } from './errors.ts';
import { inflateLimited, InflateLimitError } from './inflate-limited.ts';
import { SHARED_CURVE_DIGITS, slimForSharing, withoutCategoryTables, withRoundedCurves } from './slim.ts';

/** The codec version this lab writes. */
export const SHARE_VERSION = 1;

/** Where the app is served when no base is given (the `npm start` address). */
export const DEFAULT_SHARE_BASE = 'http://127.0.0.1:5173/';

export const SHARE_LIMITS = {
  /** Characters of URL text accepted before anything else is done. */
  maxUrlChars: 64 * 1024,
  /** Bytes of JSON a link may inflate to. */
  maxInflatedBytes: 1024 * 1024,
  /** URL length encode aims for, in characters (most chat tools and browsers take far more). */
  encodeBudgetChars: 6 * 1024,
} as const;

/** A migration of a decoded payload from codec version n to n + 1 (SHARE_MIGRATIONS[n]). */
export type ShareMigration = (payload: unknown) => unknown;

/** None yet: v1 is the first version. */
export const SHARE_MIGRATIONS: Readonly<Record<number, ShareMigration>> = {};

export interface ShareEncodeOptions {
  /** URL the fragment is appended to. Default DEFAULT_SHARE_BASE. */
  base?: string;
  /** Target URL length in characters. Default SHARE_LIMITS.encodeBudgetChars. */
  budgetChars?: number;
}

export interface ShareEncodeResult {
  /** The whole URL: base + '#run=v1.' + data. */
  url: string;
  /** Length of `url` in characters (= bytes: the URL is ASCII). */
  bytes: number;
  /** Human lines naming every detail left out; empty when the run went in whole. */
  dropped: string[];
  /** False when even the thinnest form is over budget (the URL still works, it is just long). */
  withinBudget: boolean;
}

const encodePayload = (run: RunRecord): string =>
  `v${SHARE_VERSION}.${base64UrlEncode(deflateSync(new TextEncoder().encode(JSON.stringify(run)), { level: 9 }))}`;

export function encodeRunUrl(input: RunRecord, options: ShareEncodeOptions = {}): ShareEncodeResult {
  const base = (options.base ?? DEFAULT_SHARE_BASE).replace(/#.*$/, '');
  const budget = options.budgetChars ?? SHARE_LIMITS.encodeBudgetChars;
  // Validate first: a link that its own decoder would refuse must never be made.
  const valid = restoreRunRecord(input, `run '${input.id}'`);
  const { run: slimmed, dropped } = slimForSharing(valid);
  const urlOf = (run: RunRecord): string => `${base}#run=${encodePayload(run)}`;
  let slim = slimmed;
  let url = urlOf(slim);
  if (url.length > budget) {
    // Full-precision floats barely compress; rounding them first keeps many more points on each curve.
    slim = withRoundedCurves(slim);
    url = urlOf(slim);
    dropped.push(`metric curve values rounded to ${SHARED_CURVE_DIGITS} significant digits`);
  }
  const logged = slim.history.points.length;
  let run = slim;
  if (url.length > budget && logged > 2) {
    // The most points per curve that fit: binary search over the LTTB target (URL length grows with it).
    let lo = 2;
    let hi = logged - 1;
    const thinned = (points: number): RunRecord => ({ ...slim, history: downsampleHistory(slim.history, points) });
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (urlOf(thinned(mid)).length <= budget) lo = mid;
      else hi = mid - 1;
    }
    run = thinned(lo);
    url = urlOf(run);
  }
  if (run.history.points.length < logged) dropped.push(`metric curves thinned from ${logged} to ${run.history.points.length} points per metric`);
  if (url.length > budget) {
    run = withoutCategoryTables(run);
    url = urlOf(run);
    dropped.push('per-category evaluation tables and confusion matrices (Overall kept)');
  }
  const withinBudget = url.length <= budget;
  if (!withinBudget) dropped.push(`still ${url.length} characters, over the ${budget}-character budget`);
  return { url, bytes: url.length, dropped, withinBudget };
}

export interface ShareDecodeOptions {
  /** Migrations to use instead of SHARE_MIGRATIONS (tests exercise the path with a fake old version). */
  migrations?: Readonly<Record<number, ShareMigration>>;
  /** Limits to use instead of SHARE_LIMITS. */
  limits?: Partial<typeof SHARE_LIMITS>;
  /** The codec version treated as current (tests). Default SHARE_VERSION. */
  currentVersion?: number;
}

const damaged = (what: string): string => `This shared link is damaged: ${what}. Ask for the link again, or copy it whole.`;

/** The `v<N>.<data>` part of a full URL, a fragment ('#run=...'), 'run=...' or the bare payload. */
function payloadOf(text: string): string {
  if (/^v\d/.test(text)) return text;
  const hash = text.indexOf('#');
  const fragment = hash >= 0 ? text.slice(hash + 1) : text;
  for (const part of fragment.split('&')) {
    if (part.startsWith('run=')) return part.slice(4);
  }
  throw new ShareDecodeError('no-run', 'This link holds no shared run (no #run= part).');
}

/** The run a shared URL carries, or a ShareDecodeError saying why not. Never throws anything else. */
export function decodeRunUrl(input: string, options: ShareDecodeOptions = {}): RunRecord {
  const limits = { ...SHARE_LIMITS, ...options.limits };
  const current = options.currentVersion ?? SHARE_VERSION;
  const migrations = options.migrations ?? SHARE_MIGRATIONS;
  if (typeof input !== 'string' || input.trim() === '') throw new ShareDecodeError('empty', 'The shared link is empty.');
  if (input.length > limits.maxUrlChars) {
    throw new ShareDecodeError('too-long', `The shared link is ${input.length} characters long; at most ${limits.maxUrlChars} are accepted.`);
  }
  const payload = payloadOf(input.trim());
  const match = /^v(\d{1,6})\.([\s\S]*)$/.exec(payload);
  if (!match) throw new ShareDecodeError('bad-format', damaged("the run data does not start with a version such as 'v1.'"));
  const version = Number(match[1]);
  const data = match[2];
  if (version > current || version < 1 || (version < current && !canMigrate(version, current, migrations))) {
    throw new ShareDecodeError(
      'unknown-version',
      version > current
        ? `This link was made by a newer version of the lab (format v${version}); this lab reads up to v${current}. Open it in an up-to-date lab.`
        : `This link uses format v${version}, which this lab can no longer read.`,
    );
  }
  if (data === '') throw new ShareDecodeError('corrupt', damaged('it carries no run data'));
  let bytes: Uint8Array;
  try {
    bytes = base64UrlDecode(data);
  } catch (err) {
    if (err instanceof Base64UrlError) throw new ShareDecodeError('bad-base64', damaged(`the data is not base64url (${err.message})`));
    throw err;
  }
  let json: Uint8Array;
  try {
    json = inflateLimited(bytes, limits.maxInflatedBytes);
  } catch (err) {
    if (err instanceof InflateLimitError) {
      throw new ShareDecodeError('too-large', `This shared link unpacks to more than ${limits.maxInflatedBytes} bytes and was refused.`);
    }
    throw new ShareDecodeError('corrupt', damaged(err instanceof Error ? err.message : 'not valid compressed data'));
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw new ShareDecodeError('bad-utf8', damaged('the run data is not UTF-8 text'));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ShareDecodeError('not-json', damaged('the run data is not JSON'));
  }
  try {
    guardJson(parsed);
  } catch (err) {
    if (err instanceof JsonGuardError) throw new ShareDecodeError('forbidden-key', `This shared link was refused: ${err.message}.`, err.path);
    throw err;
  }
  try {
    for (let v = version; v < current; v++) parsed = migrations[v](parsed);
  } catch (err) {
    throw new ShareDecodeError('invalid', `This shared link (format v${version}) could not be brought up to date: ${err instanceof Error ? err.message : String(err)}.`);
  }
  try {
    return restoreRunRecord(parsed, 'shared link');
  } catch (err) {
    if (err instanceof RunRecordError) throw new ShareDecodeError('invalid', `This shared link does not hold a valid run. ${err.message}`, err.field);
    throw new ShareDecodeError('invalid', `This shared link does not hold a valid run (${err instanceof Error ? err.message : String(err)}).`);
  }
}

function canMigrate(from: number, to: number, migrations: Readonly<Record<number, ShareMigration>>): boolean {
  for (let v = from; v < to; v++) if (typeof migrations[v] !== 'function') return false;
  return true;
}
