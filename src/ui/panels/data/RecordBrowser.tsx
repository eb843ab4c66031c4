// The stored dataset's records: counts over the whole dataset, filters (split, question type, modality, anatomy,
// source, text), and pages of records with their stored thumbnail, question and options, the gold one marked.
import type { VqaRecord } from '../../../data/index.ts';
import { useDatasetsStore } from '../../../store/datasets.ts';
import type { DatasetFacets, RecordFilters } from '../../../worker/protocol.ts';
import { CountGrid } from './CountBars.tsx';
import { Pager } from './IssueTable.tsx';
import { RecordOptions } from './RecordOptions.tsx';
import { plural, sortedCounts } from './format-data.ts';

const FILTERS: { key: keyof RecordFilters & keyof FacetKeys; label: string }[] = [
  { key: 'split', label: 'split' },
  { key: 'questionType', label: 'question type' },
  { key: 'modality', label: 'modality' },
  { key: 'anatomy', label: 'anatomy' },
  { key: 'source', label: 'source' },
];

interface FacetKeys {
  split: 'bySplit';
  questionType: 'byQuestionType';
  modality: 'byModality';
  anatomy: 'byAnatomy';
  source: 'bySource';
}
const FACET_OF: { [K in keyof FacetKeys]: FacetKeys[K] } = {
  split: 'bySplit',
  questionType: 'byQuestionType',
  modality: 'byModality',
  anatomy: 'byAnatomy',
  source: 'bySource',
};

export function DatasetCounts() {
  const page = useDatasetsStore((s) => s.browser.page);
  const meta = useDatasetsStore((s) => s.datasets.find((d) => d.id === s.browser.datasetId));
  if (!page || !meta) return null;
  return (
    <div className="card" data-testid="dataset-counts">
      <h2>
        {meta.name}: counts <span className="muted">({plural(page.total, 'record')}{page.facets.open ? `, ${page.facets.open.toLocaleString()} open-ended` : ''})</span>
      </h2>
      {page.dropped > 0 && <p className="data-error">{page.dropped} stored records no longer pass the checks and are left out.</p>}
      <CountGrid counts={page.facets} />
    </div>
  );
}

export function RecordBrowser() {
  const browser = useDatasetsStore((s) => s.browser);
  const meta = useDatasetsStore((s) => s.datasets.find((d) => d.id === s.browser.datasetId));
  const setFilters = useDatasetsStore((s) => s.setFilters);
  const setOffset = useDatasetsStore((s) => s.setOffset);
  if (!browser.datasetId || !meta) return null;
  const { page, filters, pageSize } = browser;
  const pages = page ? Math.max(1, Math.ceil(page.matching / pageSize)) : 1;
  const at = page ? Math.floor(page.offset / pageSize) : 0;
  return (
    <div className="card" data-testid="record-browser">
      <h2>Records of {meta.name}</h2>
      <div className="row data-filters">
        {page && FILTERS.map(({ key, label }) => <FacetSelect key={key} label={label} value={filters[key] ?? ''} counts={page.facets[FACET_OF[key]]} onChange={(v) => void setFilters({ [key]: v })} />)}
        <label>
          text{' '}
          <input type="search" value={filters.text ?? ''} placeholder="question, option or id" onChange={(e) => void setFilters({ text: e.target.value })} data-testid="record-search" />
        </label>
        {page && (
          <span className="muted" data-testid="record-matching">
            {page.matching === page.total ? plural(page.total, 'record') : `${page.matching.toLocaleString()} of ${plural(page.total, 'record')} match`}
          </span>
        )}
        {browser.loading && <span className="muted">loading…</span>}
      </div>
      {browser.error && <p className="data-error" role="alert">{browser.error}</p>}
      {page && page.records.length === 0 && <p className="muted">No record matches these filters.</p>}
      <div className="data-records">
        {page?.records.map((r) => <RecordCard key={r.id} record={r} thumb={browser.thumbs[r.image]} />)}
      </div>
      {page && pages > 1 && (
        <Pager
          page={at}
          pages={pages}
          onPage={(p) => void setOffset(p * pageSize)}
          label={`records ${(page.offset + 1).toLocaleString()}–${Math.min(page.offset + pageSize, page.matching).toLocaleString()} of ${page.matching.toLocaleString()} (page ${at + 1} of ${pages})`}
        />
      )}
    </div>
  );
}

function FacetSelect({ label, value, counts, onChange }: { label: string; value: string; counts: DatasetFacets['bySplit']; onChange: (v: string) => void }) {
  const rows = sortedCounts(counts);
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={`filter-${label.replace(/\s+/g, '-')}`}>
        <option value="">any</option>
        {rows.map(([k, n]) => (
          <option key={k} value={k}>
            {k} ({n.toLocaleString()})
          </option>
        ))}
      </select>
    </label>
  );
}

function RecordCard({ record, thumb }: { record: VqaRecord; thumb: string | undefined }) {
  const tags = [record.split, record.questionType, record.modality, record.anatomy, record.source].filter(Boolean);
  return (
    <article className="data-record" data-testid="record-card">
      <div className="data-thumb">
        {thumb ? <img src={thumb} alt={`image of ${record.id}`} width={96} height={96} /> : <span className="muted">{record.image ? 'no stored image' : 'no image'}</span>}
      </div>
      <div className="data-record-body">
        <div className="data-record-meta">
          <code title={record.id}>{record.id}</code>
          {tags.map((t, i) => (
            <span key={i} className="data-tag">{t}</span>
          ))}
        </div>
        <p className="data-question">{record.question}</p>
        <RecordOptions record={record} />
        {record.image && <div className="data-where muted" title={record.image}>{record.image}</div>}
      </div>
    </article>
  );
}
