// One evaluated question as the researcher checks it: the image, the question with its options (gold marked),
// and the model's greedy answer verbatim. Everything from the record or the model is rendered as text.
import { optionLetter, type VqaRecord } from '../../../data/record.ts';

export function AnswerCard({ record, completion, thumb }: { record: VqaRecord; completion: string | undefined; thumb: string | undefined }) {
  return (
    <li className="eval-answer" data-testid="eval-answer">
      {thumb ? <img className="eval-thumb" src={thumb} alt={`image ${record.image}`} /> : <div className="eval-thumb eval-nothumb">no image</div>}
      <div className="eval-answer-body">
        <p className="eval-question">{record.question}</p>
        {record.options.length > 0 && (
          <ol className="eval-options">
            {record.options.map((o, i) => (
              <li key={i} className={i === record.goldIndex ? 'eval-gold' : undefined}>
                <b>{optionLetter(i)}.</b> {o}
                {i === record.goldIndex && <span className="eval-gold-mark"> ✓ gold</span>}
              </li>
            ))}
          </ol>
        )}
        {record.open && <p className="muted">Gold answer: {record.answer}</p>}
        <p className="eval-completion-label muted">Model answered</p>
        <pre className="eval-completion">{completion === undefined ? '(no greedy answer recorded)' : completion === '' ? '(empty completion)' : completion}</pre>
        <p className="muted eval-answer-meta">
          {record.id} · {record.questionType || 'no type'} · {record.modality || 'no modality'} · {record.source || 'no source'}
        </p>
      </div>
    </li>
  );
}
