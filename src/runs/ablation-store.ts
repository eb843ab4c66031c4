// Imported ablation results (`lab ablation` files) in IndexedDB via idb, in a database of their own so the
// run store's schema stays as it is. What is read back goes through restoreAblationResult; a damaged entry is
// reported by key and never breaks the list.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { restoreAblationResult, type AblationResult } from './ablation.ts';

/** Default database name; tests pass their own. */
export const ABLATIONS_DB_NAME = 'anatomy-r1-lab-ablations';
const STORE = 'ablations';

/** One imported ablation file. */
export interface StoredAblation {
  /** 'ablation-<ISO time>-<file name>'. */
  id: string;
  /** Name of the file it came from (shown as text only). */
  file: string;
  /** ISO time of the import. */
  importedAt: string;
  result: AblationResult;
}

interface AblationsDb extends DBSchema {
  ablations: { key: string; value: unknown };
}

/** A stored entry that could not be restored. */
export interface InvalidStoredAblation {
  key: string;
  message: string;
}

function restoreStored(raw: unknown, where: string): StoredAblation {
  if (raw === null || typeof raw !== 'object') throw new Error(`${where}: not an object`);
  const o = raw as Record<string, unknown>;
  for (const key of ['id', 'file', 'importedAt'] as const) {
    if (typeof o[key] !== 'string' || (o[key] as string).length > 300) throw new Error(`${where}: field ${key}: must be a string of at most 300 characters`);
  }
  const id = o.id as string;
  return { id, file: o.file as string, importedAt: o.importedAt as string, result: restoreAblationResult(o.result, `${where} '${id}' result`) };
}

export class AblationStore {
  private constructor(private readonly db: IDBPDatabase<AblationsDb>) {}

  static async open(name = ABLATIONS_DB_NAME): Promise<AblationStore> {
    const db = await openDB<AblationsDb>(name, 1, {
      upgrade(database) {
        database.createObjectStore(STORE, { keyPath: 'id' });
      },
    });
    return new AblationStore(db);
  }

  /** Validates, then inserts or replaces by id. */
  async put(entry: StoredAblation): Promise<void> {
    await this.db.put(STORE, restoreStored(JSON.parse(JSON.stringify(entry)), `ablation '${entry.id}' (before saving)`));
  }

  /** Every valid entry, newest import first, and every invalid one by key. */
  async list(): Promise<{ ablations: StoredAblation[]; invalid: InvalidStoredAblation[] }> {
    const ablations: StoredAblation[] = [];
    const invalid: InvalidStoredAblation[] = [];
    let cursor = await this.db.transaction(STORE).store.openCursor();
    while (cursor) {
      try {
        ablations.push(restoreStored(cursor.value, `IndexedDB ${ABLATIONS_DB_NAME}/${STORE}`));
      } catch (err) {
        invalid.push({ key: String(cursor.key), message: err instanceof Error ? err.message : String(err) });
      }
      cursor = await cursor.continue();
    }
    ablations.sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : a.id.localeCompare(b.id)));
    return { ablations, invalid };
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(STORE, id);
  }

  close(): void {
    this.db.close();
  }

  /** For tests only: write a raw value as if another program had. */
  async putRaw(value: unknown): Promise<void> {
    await this.db.put(STORE, value);
  }
}
