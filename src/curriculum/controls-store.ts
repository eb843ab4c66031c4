// The Curriculum panel's manual controls (excluded, pinned, moved questions) kept in IndexedDB per dataset
// fingerprint, so a reload and a re-import of the same data keep them. What is read back goes through
// restoreCurriculumControls: another version of the lab may have written it.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CurriculumControls } from './scheduler.ts';

export const CONTROLS_DB_NAME = 'anatomy-r1-lab-curriculum';
const DB_VERSION = 1;
/** Most ids kept per list: a corrupted row cannot make the scheduler walk millions of ids. */
const MAX_IDS = 100_000;

interface ControlsSchema extends DBSchema {
  controls: { key: string; value: { fingerprint: string; controls: CurriculumControls; updatedAt: number } };
}

export function emptyControls(): CurriculumControls {
  return { excluded: [], pinned: [], moves: [] };
}

function idList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list of question ids`);
  const out: string[] = [];
  value.slice(0, MAX_IDS).forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0) throw new Error(`${where}[${i}]: expected a question id, got ${JSON.stringify(v)}`);
    if (!out.includes(v)) out.push(v);
  });
  return out;
}

/** Untrusted JSON -> controls; names the field that is wrong. */
export function restoreCurriculumControls(untrusted: unknown, source = 'CurriculumControls'): CurriculumControls {
  if (typeof untrusted !== 'object' || untrusted === null || Array.isArray(untrusted)) throw new Error(`${source}: expected an object`);
  const o = untrusted as Record<string, unknown>;
  const moves: CurriculumControls['moves'] = [];
  if (o.moves !== undefined) {
    if (!Array.isArray(o.moves)) throw new Error(`${source}.moves: expected a list of {id, step}`);
    o.moves.slice(0, MAX_IDS).forEach((m: unknown, i) => {
      const r = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
      if (typeof r.id !== 'string' || r.id.length === 0) throw new Error(`${source}.moves[${i}].id: expected a question id`);
      if (typeof r.step !== 'number' || !Number.isInteger(r.step) || r.step < 0) throw new Error(`${source}.moves[${i}].step: expected an integer >= 0, got ${JSON.stringify(r.step)}`);
      moves.push({ id: r.id, step: r.step });
    });
  }
  return { excluded: idList(o.excluded, `${source}.excluded`), pinned: idList(o.pinned, `${source}.pinned`), moves };
}

export class CurriculumControlsStore {
  private constructor(private readonly db: IDBPDatabase<ControlsSchema>) {}

  static async open(name = CONTROLS_DB_NAME): Promise<CurriculumControlsStore> {
    const db = await openDB<ControlsSchema>(name, DB_VERSION, {
      upgrade(db) {
        db.createObjectStore('controls', { keyPath: 'fingerprint' });
      },
    });
    return new CurriculumControlsStore(db);
  }

  /** The saved controls of a dataset; empty when none were saved or the row is unreadable. */
  async get(fingerprint: string): Promise<CurriculumControls> {
    const row = await this.db.get('controls', fingerprint);
    if (!row) return emptyControls();
    try {
      return restoreCurriculumControls(row.controls, `curriculum controls of ${fingerprint}`);
    } catch {
      // An unreadable row is worth less than a working panel: start over rather than fail every request.
      return emptyControls();
    }
  }

  async put(fingerprint: string, controls: CurriculumControls): Promise<void> {
    await this.db.put('controls', { fingerprint, controls: restoreCurriculumControls(controls), updatedAt: Date.now() });
  }

  close(): void {
    this.db.close();
  }
}
