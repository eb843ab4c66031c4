// Datasets kept in IndexedDB so a reload keeps them: one meta row per dataset, its records in one row, and its
// resized RGB images one row each. Everything read back goes through restore* (IndexedDB is untrusted input
// too: other versions of the lab wrote it), and quota failures come back as sentences.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { VqaRecord } from '../record.ts';
import type { FormatId } from '../formats/types.ts';
import { restoreRecord } from '../validate/record-schema.ts';
import { formatBytes } from '../intake/intake-file.ts';

export const DATASET_DB_NAME = 'anatomy-r1-lab-data';
const DB_VERSION = 1;
const META_VERSION = 1;

/** What the dataset list shows without loading records. */
export interface DatasetMeta {
  /** Layout version of this row; restoreDatasetMeta migrates older ones. */
  version: number;
  id: string;
  /** Name the user gave (default: the dropped folder or file name). */
  name: string;
  /** Format it was read from, or 'synth' for AnatomySynth. */
  format: FormatId | 'synth';
  /** ms since epoch. */
  createdAt: number;
  recordCount: number;
  imageCount: number;
  /** Side of the stored square images in pixels (0 when none are stored). */
  imageSize: number;
  /** SHA-256 fingerprint over record ids and image hashes. */
  fingerprint: string;
  /** Records per split, for the list. */
  bySplit: Record<string, number>;
}

/** One stored image: resized RGB bytes, keyed by the reference records use. */
export interface StoredImage {
  ref: string;
  width: number;
  height: number;
  /** (height, width, 3) RGB bytes. */
  data: Uint8Array;
}

interface LabDataSchema extends DBSchema {
  datasets: { key: string; value: DatasetMeta };
  records: { key: string; value: { datasetId: string; records: VqaRecord[] } };
  images: { key: [string, string]; value: StoredImage & { datasetId: string }; indexes: { byDataset: string } };
}

export class StorageError extends Error {
  override name = 'StorageError';
}

/** A browser storage failure in words a person can act on. */
export function describeStorageError(err: unknown, estimate?: { usage: number; quota: number }): string {
  const name = err instanceof Error || (typeof DOMException !== 'undefined' && err instanceof DOMException) ? (err as Error).name : '';
  const used = estimate ? ` (${formatBytes(estimate.usage)} of ${formatBytes(estimate.quota)} used)` : '';
  if (name === 'QuotaExceededError') {
    return `The browser's storage for this site is full${used}. Delete a dataset or a run, or store images at a smaller size.`;
  }
  if (name === 'InvalidStateError' || name === 'UnknownError') {
    return `The browser refused to open its database (${name}); private windows and some settings block IndexedDB.`;
  }
  if (name === 'VersionError') return 'A newer version of the lab has changed this database; reload with the newest version.';
  return `Storage failed: ${err instanceof Error ? err.message : String(err)}`;
}

export interface StorageEstimateWords {
  usage: number;
  quota: number;
  /** e.g. '12.3 MiB of 2.0 GiB used (0.6%)'. */
  words: string;
}

export async function storageEstimate(): Promise<StorageEstimateWords | null> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (!storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await storage.estimate();
  const pct = quota > 0 ? ` (${((100 * usage) / quota).toFixed(1)}%)` : '';
  return { usage, quota, words: `${formatBytes(usage)} of ${formatBytes(quota)} used${pct}` };
}

/** Untrusted meta row -> DatasetMeta with defaults, or null when it has no id. */
export function restoreDatasetMeta(raw: unknown): DatasetMeta | null {
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !r.id) return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  const bySplit: Record<string, number> = {};
  if (r.bySplit && typeof r.bySplit === 'object') {
    for (const [k, v] of Object.entries(r.bySplit)) if (typeof v === 'number' && Number.isFinite(v)) bySplit[k] = v;
  }
  return {
    version: META_VERSION,
    id: r.id,
    name: typeof r.name === 'string' ? r.name : r.id,
    format: typeof r.format === 'string' ? (r.format as DatasetMeta['format']) : 'generic-table',
    createdAt: num(r.createdAt),
    recordCount: num(r.recordCount),
    imageCount: num(r.imageCount),
    imageSize: num(r.imageSize),
    fingerprint: typeof r.fingerprint === 'string' ? r.fingerprint : '',
    bySplit,
  };
}

export interface NewDataset {
  /** Reuse an id to replace a dataset; a fresh one is made otherwise. */
  id?: string;
  name: string;
  format: DatasetMeta['format'];
  records: readonly VqaRecord[];
  images: Iterable<StoredImage>;
  imageSize: number;
  fingerprint: string;
}

export class DatasetStore {
  private constructor(private readonly db: IDBPDatabase<LabDataSchema>) {}

  static async open(name = DATASET_DB_NAME): Promise<DatasetStore> {
    try {
      const db = await openDB<LabDataSchema>(name, DB_VERSION, {
        upgrade(db) {
          db.createObjectStore('datasets', { keyPath: 'id' });
          db.createObjectStore('records', { keyPath: 'datasetId' });
          const images = db.createObjectStore('images', { keyPath: ['datasetId', 'ref'] });
          images.createIndex('byDataset', 'datasetId');
        },
      });
      return new DatasetStore(db);
    } catch (err) {
      throw new StorageError(describeStorageError(err));
    }
  }

  /** Stores a dataset in one transaction: either all of it lands or none. */
  async save(input: NewDataset): Promise<DatasetMeta> {
    const id = input.id ?? `ds-${crypto.randomUUID()}`;
    const bySplit: Record<string, number> = {};
    for (const r of input.records) bySplit[r.split] = (bySplit[r.split] ?? 0) + 1;
    let imageCount = 0;
    const meta: DatasetMeta = {
      version: META_VERSION,
      id,
      name: input.name,
      format: input.format,
      createdAt: Date.now(),
      recordCount: input.records.length,
      imageCount: 0,
      imageSize: input.imageSize,
      fingerprint: input.fingerprint,
      bySplit,
    };
    try {
      if (input.id) await this.deleteDataset(input.id);
      const tx = this.db.transaction(['datasets', 'records', 'images'], 'readwrite');
      const done = tx.done.then(() => null, (e: unknown) => ({ error: e }));
      // Requests of an aborted transaction reject; their errors are the transaction's, reported once below.
      const writes: Promise<unknown>[] = [];
      const track = (p: Promise<unknown>) => writes.push(p.catch(() => undefined));
      try {
        track(tx.objectStore('records').put({ datasetId: id, records: [...input.records] }));
        for (const img of input.images) {
          track(tx.objectStore('images').put({ ...img, datasetId: id }));
          imageCount++;
        }
        meta.imageCount = imageCount;
        track(tx.objectStore('datasets').put(meta));
      } catch (err) {
        // Nothing of a half-written dataset may remain: abort before the transaction commits on its own.
        tx.abort();
        await Promise.all(writes);
        await done;
        throw err;
      }
      await Promise.all(writes);
      const failed = await done;
      if (failed) throw failed.error;
      return meta;
    } catch (err) {
      throw new StorageError(describeStorageError(err, (await storageEstimate().catch(() => null)) ?? undefined));
    }
  }

  async list(): Promise<DatasetMeta[]> {
    const rows = await this.db.getAll('datasets');
    return rows.map(restoreDatasetMeta).filter((m): m is DatasetMeta => m !== null).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Meta and records; records that no longer pass the schema are dropped and counted. */
  async get(id: string): Promise<{ meta: DatasetMeta; records: VqaRecord[]; dropped: number } | null> {
    const meta = restoreDatasetMeta(await this.db.get('datasets', id));
    if (!meta) return null;
    const row = await this.db.get('records', id);
    const raw = Array.isArray(row?.records) ? row.records : [];
    const records = raw.map(restoreRecord).filter((r): r is VqaRecord => r !== null);
    return { meta, records, dropped: raw.length - records.length };
  }

  async getImage(datasetId: string, ref: string): Promise<StoredImage | null> {
    const row = await this.db.get('images', [datasetId, ref]);
    if (!row || !(row.data instanceof Uint8Array) || row.data.length !== row.width * row.height * 3) return null;
    return { ref: row.ref, width: row.width, height: row.height, data: row.data };
  }

  async deleteDataset(id: string): Promise<void> {
    const tx = this.db.transaction(['datasets', 'records', 'images'], 'readwrite');
    const keys = await tx.objectStore('images').index('byDataset').getAllKeys(id);
    await Promise.all([
      tx.objectStore('datasets').delete(id),
      tx.objectStore('records').delete(id),
      ...keys.map((k) => tx.objectStore('images').delete(k)),
      tx.done,
    ]);
  }

  close(): void {
    this.db.close();
  }
}
