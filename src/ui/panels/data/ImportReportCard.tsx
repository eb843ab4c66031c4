// The account of the last import: accepted / repaired / rejected, repairs by kind, the image census, duplicates,
// train-test leakage, and every problem with file, record and field. (Counts are shown for the stored dataset.)
import type { IntakeReport } from '../../../data/index.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import { IssueTable } from './IssueTable.tsx';
import { plural, sortedCounts } from './format-data.ts';

export function ImportReportCard() {
  const last = useDatasetsStore((s) => s.lastImport);
  const dismiss = useDatasetsStore((s) => s.dismissReport);
  if (!last) return null;
  const { report, meta, decodeFailures } = last.result;
  return (
    <div className="card" data-testid="import-report">
      <div className="data-card-head">
        <h2>
          Import report: {last.name}
          {report.formatLabel && <span className="muted"> · read as {report.formatLabel}</span>}
        </h2>
        <button onClick={dismiss}>Close</button>
      </div>
      {meta ? (
        <p className="data-ok">
          Stored {plural(meta.recordCount, 'record')} and {plural(meta.imageCount, 'image')} ({meta.imageSize}×{meta.imageSize} px).
        </p>
      ) : (
        <p className="data-error" role="alert">Nothing was stored: no usable records were found. The problems below say why.</p>
      )}
      <div className="data-stats" data-testid="report-stats">
        <Stat label="records read" value={report.records} />
        <Stat label="accepted" value={report.accepted} tone="ok" />
        <Stat label="repaired" value={report.repaired} tone={report.repaired ? 'warn' : undefined} />
        <Stat label="rejected" value={report.rejected} tone={report.rejected ? 'err' : undefined} />
        <Stat label="images found" value={report.images.found} />
        <Stat label="missing" value={report.images.missing} tone={report.images.missing ? 'warn' : undefined} />
        <Stat label="undecodable" value={report.images.undecodable + decodeFailures.length} tone={report.images.undecodable + decodeFailures.length ? 'err' : undefined} />
        <Stat label="unreferenced" value={report.images.unreferenced} />
        <Stat label="duplicate groups" value={report.duplicates.length} tone={report.duplicates.length ? 'warn' : undefined} />
        <Stat label="leaked images" value={report.leakage.length} tone={report.leakage.length ? 'err' : undefined} />
      </div>
      <RepairsAndImages report={report} decodeFailures={decodeFailures} />
      {report.errorCount > 0 && <IssueTable title="Problems" issues={report.errors} total={report.errorCount} testId="report-errors" />}
      {report.warningCount > 0 && <IssueTable title="Notes on accepted records" issues={report.warnings} total={report.warningCount} testId="report-warnings" />}
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: 'ok' | 'warn' | 'err' }) {
  return (
    <div className={`data-stat${tone ? ` ${tone}` : ''}`} data-testid={`stat-${label.replace(/\s+/g, '-')}`}>
      <b>{value.toLocaleString()}</b>
      <span>{label}</span>
    </div>
  );
}

function RepairsAndImages({ report, decodeFailures }: { report: IntakeReport; decodeFailures: { ref: string; reason: string }[] }) {
  const repairs = sortedCounts(report.repairsByKind);
  const img = report.images;
  return (
    <div className="data-report-details">
      {repairs.length > 0 && (
        <details open data-testid="repairs-by-kind">
          <summary>Repairs, by kind ({plural(report.repaired, 'record')})</summary>
          <table className="data">
            <tbody>
              {repairs.map(([kind, n]) => (
                <tr key={kind}>
                  <td>{kind}</td>
                  <td className="num">{n.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {img.missing > 0 && (
        <details>
          <summary>Missing images ({img.missing.toLocaleString()} referenced, not in the drop)</summary>
          <PathList paths={img.missingList} />
        </details>
      )}
      {img.undecodable + decodeFailures.length > 0 && (
        <details>
          <summary>Undecodable images ({(img.undecodable + decodeFailures.length).toLocaleString()})</summary>
          <PathList paths={[...img.undecodableList.map((u) => `${u.path}: ${u.reason}`), ...decodeFailures.map((d) => `${d.ref}: ${d.reason}`)]} />
        </details>
      )}
      {img.matchedByName > 0 && <p className="muted">{plural(img.matchedByName, 'image')} found by file name only (their folders differ from the references).</p>}
      {img.unreferenced > 0 && (
        <details>
          <summary>Images no record refers to ({img.unreferenced.toLocaleString()})</summary>
          <PathList paths={img.unreferencedList} />
        </details>
      )}
      {report.duplicates.length > 0 && (
        <details>
          <summary>Duplicate records ({plural(report.duplicates.length, 'group')} with the same image, question, options and gold)</summary>
          <PathList paths={report.duplicates.map((g) => g.join(', '))} />
        </details>
      )}
      {report.leakage.length > 0 && (
        <details>
          <summary className="data-err-text">Train-test leakage: {plural(report.leakage.length, 'image')} used by both train and test records</summary>
          <PathList paths={report.leakage.map((l) => `${l.image}: train ${l.train.slice(0, 5).join(', ')}${l.train.length > 5 ? '…' : ''}; test ${l.test.slice(0, 5).join(', ')}${l.test.length > 5 ? '…' : ''}`)} />
        </details>
      )}
    </div>
  );
}

const PATHS_SHOWN = 20;

function PathList({ paths }: { paths: readonly string[] }) {
  return (
    <ul className="data-paths">
      {paths.slice(0, PATHS_SHOWN).map((p, i) => (
        <li key={i}>{p}</li>
      ))}
      {paths.length > PATHS_SHOWN && <li className="muted">and {(paths.length - PATHS_SHOWN).toLocaleString()} more</li>}
    </ul>
  );
}
