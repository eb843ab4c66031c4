// What a run keeps when it goes into a URL: never images or dataset content (a run record holds neither),
// no per-record ids (confusion cells, unextractable lists), notes cut short. Each removal is reported, so
// the lab can say what detail the link lacks.
import type { RunRecord } from '../runs/record.ts';

/** Notes longer than this are cut in a shared link. */
export const SHARED_NOTES_CHARS = 1_000;

/** A copy of the run without per-record detail, and the list of what was dropped. */
export function slimForSharing(run: RunRecord): { run: RunRecord; dropped: string[] } {
  const dropped: string[] = [];
  let confusionIds = 0;
  let unextractableIds = 0;
  const evals = run.evals.map((e) => {
    const report = e.report;
    unextractableIds += report.unextractable.ids.length;
    const confusion = report.confusion && {
      ...report.confusion,
      ids: report.confusion.ids.map((row) =>
        row.map((cell) => {
          confusionIds += cell.length;
          return [];
        }),
      ),
    };
    return { ...e, report: { ...report, confusion, unextractable: { ...report.unextractable, ids: [] } } };
  });
  if (confusionIds > 0) dropped.push(`record ids behind ${confusionIds} confusion-matrix entries (counts kept)`);
  if (unextractableIds > 0) dropped.push(`ids of ${unextractableIds} unextractable records (count kept)`);
  let notes = run.notes;
  if (notes.length > SHARED_NOTES_CHARS) {
    dropped.push(`notes cut from ${notes.length} to ${SHARED_NOTES_CHARS} characters`);
    notes = notes.slice(0, SHARED_NOTES_CHARS);
  }
  return { run: { ...run, evals, notes }, dropped };
}

/** The run without per-category tables and confusion matrices: the last resort for a very large run. */
export function withoutCategoryTables(run: RunRecord): RunRecord {
  return {
    ...run,
    evals: run.evals.map((e) => ({
      ...e,
      report: { ...e.report, confusion: null, byCategory: { questionType: {}, modality: {}, anatomy: {}, source: {} } },
    })),
  };
}

/** Significant digits curve values keep once a link has to save space (charts cannot show more). */
export const SHARED_CURVE_DIGITS = 5;

/** The run with every metric-history value rounded to `digits` significant digits; steps and eval tables untouched. */
export function withRoundedCurves(run: RunRecord, digits = SHARED_CURVE_DIGITS): RunRecord {
  const round = (v: number): number => (v === 0 ? 0 : Number(v.toPrecision(digits)));
  return {
    ...run,
    history: {
      ...run.history,
      points: run.history.points.map((p) => ({
        step: p.step,
        values: Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, round(v)])),
      })),
    },
  };
}
