// The paraphrase template families: view them, edit a family's phrasings, question types and slots, add a
// family; every save goes through restoreTemplateFamilies, whose message names the family and field at fault.
import { useState } from 'react';
import { BUILT_IN_TEMPLATE_FAMILIES, type TemplateFamily } from '../../../augment/templates.ts';
import { useAugmentStore } from '../../../store/augment.ts';

/** A family as the editor's text fields hold it. */
interface Draft {
  id: string;
  questionTypes: string;
  /** One slot a line: "name: v1 | v2" or "name:" for free text. */
  slots: string;
  /** One phrasing a line. */
  templates: string;
}

const toDraft = (f: TemplateFamily): Draft => ({
  id: f.id,
  questionTypes: f.questionTypes.join(', '),
  slots: Object.entries(f.slots)
    .map(([name, values]) => `${name}: ${values ? values.join(' | ') : ''}`)
    .join('\n'),
  templates: f.templates.join('\n'),
});

/** Back to the JSON shape restoreTemplateFamilies checks (it does the validating). */
const fromDraft = (d: Draft) => ({
  id: d.id.trim(),
  questionTypes: d.questionTypes.split(',').map((s) => s.trim()).filter(Boolean),
  slots: Object.fromEntries(
    d.slots
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const i = l.indexOf(':');
        const name = (i < 0 ? l : l.slice(0, i)).trim();
        const rest = i < 0 ? '' : l.slice(i + 1).trim();
        return [name, rest ? rest.split('|').map((v) => v.trim()).filter(Boolean) : null];
      }),
  ),
  templates: d.templates.split('\n').map((t) => t.trim()).filter(Boolean),
});

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function TemplatesCard() {
  const saved = useAugmentStore((s) => s.config.templates);
  const templateError = useAugmentStore((s) => s.templateError);
  const { saveTemplates, resetTemplates } = useAugmentStore.getState();
  const families = saved ?? BUILT_IN_TEMPLATE_FAMILIES;
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const editing = drafts !== null;
  const shown = drafts ?? families.map(toDraft);

  const edit = (i: number, patch: Partial<Draft>) => setDrafts(shown.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const add = () => {
    const next = [...shown, { id: `custom-${shown.length + 1}`, questionTypes: '', slots: 'organ:', templates: 'Which organ is {organ}?\nWhat organ is {organ}?' }];
    setDrafts(next);
    setOpen(next.length - 1);
  };
  const save = () => {
    if (saveTemplates(shown.map(fromDraft))) setDrafts(null);
  };

  return (
    <div className="card" data-testid="aug-templates">
      <div className="cur-head">
        <h2>Paraphrase template families</h2>
        <span className="muted">
          {plural(families.length, 'family').replace(/ys$/, 'ies')} · {saved ? 'edited (saved in this browser)' : 'built in'}
        </span>
        <span className="cur-spacer" />
        <button onClick={add}>Add a family</button>
        {editing && (
          <>
            <button className="primary" onClick={save} data-testid="aug-templates-save">
              Save templates
            </button>
            <button onClick={() => setDrafts(null)}>Discard edits</button>
          </>
        )}
        {saved && !editing && <button onClick={resetTemplates}>Back to built-in</button>}
      </div>
      <p className="muted cur-note">
        A question matching one phrasing of a family (with its slots filled) can be re-asked with any other. Slots: <code>{'{name}'}</code> in a phrasing; each
        slot line reads <code>name: value | value</code>, or <code>name:</code> for free text. Every phrasing of a family uses the same slots.
      </p>
      {templateError && (
        <p className="cur-alert error" role="alert" data-testid="aug-templates-error">
          {templateError}
        </p>
      )}
      <ul className="aug-families">
        {shown.map((d, i) => (
          <li key={i} className="aug-family">
            <button className="link aug-family-head" onClick={() => setOpen(open === i ? null : i)} aria-expanded={open === i}>
              <code>{d.id}</code> <span className="muted">{plural(d.templates.split('\n').filter(Boolean).length, 'phrasing')} · {d.questionTypes || 'any question type'}</span>
            </button>
            {open !== i && <div className="muted aug-family-first">{d.templates.split('\n')[0]}</div>}
            {open === i && (
              <div className="aug-family-edit">
                <label className="cur-field">
                  <span className="cur-field-label">Id</span>
                  <input value={d.id} onChange={(e) => edit(i, { id: e.target.value })} />
                </label>
                <label className="cur-field">
                  <span className="cur-field-label">Question types (comma-separated; empty = any)</span>
                  <input value={d.questionTypes} onChange={(e) => edit(i, { questionTypes: e.target.value })} />
                </label>
                <label className="cur-field">
                  <span className="cur-field-label">Slots (one a line)</span>
                  <textarea rows={Math.min(6, d.slots.split('\n').length + 1)} value={d.slots} onChange={(e) => edit(i, { slots: e.target.value })} />
                </label>
                <label className="cur-field">
                  <span className="cur-field-label">Phrasings (one a line, at least two)</span>
                  <textarea rows={Math.min(10, d.templates.split('\n').length + 1)} value={d.templates} onChange={(e) => edit(i, { templates: e.target.value })} data-testid="aug-template-text" />
                </label>
                <button onClick={() => setDrafts(shown.filter((_, j) => j !== i))}>Remove this family</button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
