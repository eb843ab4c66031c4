// Run records in IndexedDB (via idb). What is read back goes through restoreRunRecord: a record another
// version of the lab wrote, or one damaged on disk, is reported by key and never breaks the list.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunRecord } from './record.ts';
import { restoreRunRecord } from './restore.ts';

/** Default database name; tests pass their own. */
export const RUNS_DB_NAME = 'anatomy-r1-lab-runs';
const STORE = 'runs';

interface RunsDb extends DBSchema {
  runs: { key: string; value: unknown; indexes: { createdAt: string } };
}

/** A stored record that could not be restored: shown to the user, left in place untouched. */
export interface InvalidStoredRun {
  key: string;
  message: string;
}

export class RunStore {
  private constructor(private readonly db: IDBPDatabase<RunsDb>) {}

  static async open(name = RUNS_DB_NAME): Promise<RunStore> {
    const db = await openDB<RunsDb>(name, 1, {
      upgrade(database) {
        const store = database.createObjectStore(STORE, { keyPath: 'id' });
        store.createIndex('createdAt', 'createdAt');
      },
    });
    return new RunStore(db);
  }

  /** Validates, then inserts or replaces by id. */
  async put(run: RunRecord): Promise<void> {
    await this.db.put(STORE, restoreRunRecord(run, `run '${run.id}' (before saving)`));
  }

  /** The run, restored; undefined when absent; RunRecordError when stored data is invalid. */
  async get(id: string): Promise<RunRecord | undefined> {
    const raw = await this.db.get(STORE, id);
    return raw === undefined ? undefined : restoreRunRecord(raw, `IndexedDB ${RUNS_DB_NAME}/${STORE}`);
  }

  /** Every valid run, newest first, and every invalid one by key. */
  async list(): Promise<{ runs: RunRecord[]; invalid: InvalidStoredRun[] }> {
    const runs: RunRecord[] = [];
    const invalid: InvalidStoredRun[] = [];
    let cursor = await this.db.transaction(STORE).store.openCursor();
    while (cursor) {
      try {
        runs.push(restoreRunRecord(cursor.value, `IndexedDB ${RUNS_DB_NAME}/${STORE}`));
      } catch (err) {
        invalid.push({ key: String(cursor.key), message: err instanceof Error ? err.message : String(err) });
      }
      cursor = await cursor.continue();
    }
    runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id.localeCompare(b.id)));
    return { runs, invalid };
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(STORE, id);
  }

  async clear(): Promise<void> {
    await this.db.clear(STORE);
  }

  close(): void {
    this.db.close();
  }

  /** For tests and repair tools only: write a raw value as if another program had. */
  async putRaw(value: unknown): Promise<void> {
    await this.db.put(STORE, value);
  }
}
