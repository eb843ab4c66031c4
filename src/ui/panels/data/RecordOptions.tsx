// A record's options with the gold one marked (or its free answer when open). Text only: record content is
// never inserted as HTML.
import { optionLetter, type VqaRecord } from '../../../data/record.ts';

export function RecordOptions({ record }: { record: VqaRecord }) {
  if (record.open || record.options.length === 0) {
    return (
      <p className="data-open-answer">
        <span className="badge">open</span> answer: <b className="data-gold">{record.answer}</b>
      </p>
    );
  }
  return (
    <ol className="data-options">
      {record.options.map((o, i) => (
        <li key={i} className={i === record.goldIndex ? 'data-gold' : undefined} aria-label={i === record.goldIndex ? `${optionLetter(i)}, gold: ${o}` : undefined}>
          <span className="data-letter">{optionLetter(i)}.</span> {o}
          {i === record.goldIndex && <span className="data-gold-mark" title="gold answer"> ✓ gold</span>}
        </li>
      ))}
    </ol>
  );
}
