// Question paraphrase templates as data: families of equivalent phrasings with typed slots ({position},
// {color}, free text), the SGG-VQA alternatives the paper's GDQA release uses and families for the OmniMedVQA
// question types. Users edit and add families in the Augmentation panel; restoreTemplateFamilies checks them.

import { asObject, ConfigError, describe } from '../curriculum/restore-fields.ts';

export interface TemplateFamily {
  /** Stable id, shown in the panel. */
  id: string;
  /** Question types it applies to (as VqaRecord.questionType); empty = any. */
  questionTypes: string[];
  /** Slot name -> allowed values, or null for free text. Every template of a family uses the same slots. */
  slots: Record<string, string[] | null>;
  /** Equivalent phrasings; {name} marks a slot. At least two. */
  templates: string[];
}

const POSITIONS = ['top-left', 'top-mid', 'top-right', 'mid-left', 'center', 'mid-right', 'bottom-left', 'bottom-mid', 'bottom-right'];
const COLORS = ['red', 'brown', 'white', 'yellow', 'blue', 'green', 'pink', 'gray', 'black', 'purple', 'orange'];
const ANATOMY_ID = ['Anatomy Identification'];
const PREPOSITIONS = [
  'below', 'above', 'within', 'left of', 'right of', 'to the left of', 'to the right of', 'on the left side of',
  'on the right side of', 'horizontal to', 'horizontal', 'vertical to', 'vertical', 'retracted by', 'grasped by', 'behind', 'in front of', 'both',
];
const VIEWS = [
  'ultrasound image', 'ultrasound scan', 'sonographic examination', 'sonogram', 'CT image', 'CT scan', 'MRI image',
  'MRI scan', 'MR image', 'X-ray image', 'X-ray', 'radiograph', 'endoscopy image', 'fundus image', 'OCT image',
  'dermoscopy image', 'microscopy image', 'histopathology image',
];

export const BUILT_IN_TEMPLATE_FAMILIES: readonly TemplateFamily[] = [
  // SGG-VQA (CholecT45 scene graphs): the phrasings of the released GRPO and GRPO-GDQA files.
  {
    id: 'sgg-position',
    questionTypes: [],
    slots: { position: POSITIONS },
    templates: [
      'What anatomy is at the {position} of the frame ?',
      'What is the {position} anatomy?',
      'There is a {position} anatomy, what is its name?',
      'What is the name of the anatomy that is at the {position} of the frame?',
      'There is an anatomy at the {position} of the frame; what is it?',
    ],
  },
  {
    id: 'sgg-color-position',
    questionTypes: [],
    slots: { color: COLORS, position: POSITIONS },
    templates: [
      'What is the {color} {position} anatomy?',
      'There is a {color} {position} anatomy, what is its name?',
      'What is the name of the {color} {position} anatomy?',
      'There is a {color} anatomy at the {position} of the frame; what is it?',
    ],
  },
  {
    id: 'sgg-color',
    questionTypes: [],
    slots: { color: COLORS },
    templates: [
      'What is the {color} anatomy?',
      'There is a {color} anatomy, what is its name?',
      'What is the name of the {color} anatomy?',
      'There is a {color} anatomy; what is it?',
    ],
  },
  {
    id: 'sgg-relation',
    questionTypes: [],
    slots: { thing: null, relation: null },
    templates: [
      'What is the name of the {thing} that is {relation}?',
      'What name is the {thing} that is {relation}?',
      'There is a {thing} that is {relation}; what is it?',
      'What is the {thing} that is {relation} called?',
      'There is a {thing} that is {relation}?; what name is it?',
      'There is a {thing} that is {relation}?; what is its name?',
    ],
  },
  {
    // The short form without "that is": the relation starts at a known preposition so the split is unique.
    id: 'sgg-relation-short',
    questionTypes: [],
    slots: { thing: null, preposition: PREPOSITIONS, rest: null },
    templates: [
      'What is the name of the {thing} {preposition} {rest}?',
      'There is a {thing} {preposition} {rest}; what is it?',
      'What name is the {thing} {preposition} {rest}?',
      'What is the {thing} {preposition} {rest} called?',
    ],
  },
  // OmniMedVQA, by question type.
  {
    id: 'omni-anatomy-in-view',
    questionTypes: ANATOMY_ID,
    slots: { view: VIEWS },
    templates: [
      'What part is shown in this {view}?',
      'What is the organ depicted in this {view}?',
      'What is the structure depicted in this {view}?',
      'What structure is depicted in this {view}?',
      'What is depicted in this {view}?',
      'What is being depicted in this {view}?',
      'What structure is being depicted in this {view}?',
      'Which structure is being depicted in this {view}?',
      'What is the organ being depicted in this {view}?',
      'What is the structure being depicted in this {view}?',
      'What is the organ visible in this {view}?',
      'What is the structure visible in this {view}?',
      'Which structure is visible in this {view}?',
      'Which anatomical structure is visible in this {view}?',
      'What is the anatomical structure depicted in this {view}?',
      'What is the anatomical structure visible in this {view}?',
      'What is the anatomical structure displayed in this {view}?',
      'What structure is visualized in this {view}?',
      'What structure is being visualized in this {view}?',
      'What is the structure displayed in this {view}?',
      'What is the structure identified in this {view}?',
      'What is the identified structure in this {view}?',
      'Which structure is depicted in this {view}?',
    ],
  },
  {
    id: 'omni-anatomy-content',
    questionTypes: ANATOMY_ID,
    slots: {},
    templates: [
      'What content appears in this image?',
      'What is depicted in this image?',
      'What is shown in this image?',
      'What can be seen in this image?',
      'What does this sonogram depict?',
    ],
  },
  {
    id: 'omni-body-region',
    questionTypes: ANATOMY_ID,
    slots: {},
    templates: [
      'Which region of the body is depicted in this image?',
      'Which body region does this image show?',
      'What part of the body is shown in this image?',
    ],
  },
  {
    id: 'omni-tissue',
    questionTypes: ANATOMY_ID,
    slots: {},
    templates: [
      'What substance or tissue type can you see in this image?',
      'What kind of body tissue is shown in the picture?',
      'What type of tissue is shown in this image?',
    ],
  },
  {
    id: 'omni-joint',
    questionTypes: ANATOMY_ID,
    slots: {},
    templates: [
      'Which joint does the bone in the picture come from?',
      'From which joint does the bone in the image originate?',
      'Which joint is the bone in this image part of?',
    ],
  },
  {
    id: 'omni-eye-side',
    questionTypes: ANATOMY_ID,
    slots: {},
    templates: [
      'Is this the oculus dexter or oculus sinister?',
      'Is this the oculus dexter or the oculus sinister?',
      'Are we referring to the oculus dexter or the oculus sinister?',
      'Are we referring to the oculus dexter or oculus sinister?',
      'Am I referring to the oculus dexter or the oculus sinister?',
      'Is this the right eye (oculus dexter) or the left eye (oculus sinister)?',
      'Which eye is this, the right eye or the left eye?',
    ],
  },
  {
    id: 'omni-abnormality',
    questionTypes: ['Disease Diagnosis'],
    slots: {},
    templates: [
      'What abnormality is present in this image?',
      'What is the abnormality present in the image?',
      'What type of abnormality is present in this image?',
      'What abnormality can be seen in this image?',
    ],
  },
  {
    id: 'omni-diagnosis',
    questionTypes: ['Disease Diagnosis'],
    slots: {},
    templates: [
      'What is the diagnosis for the patient in this image?',
      'What diagnosis does this picture indicate?',
      'What is the most likely diagnosis based on this image?',
    ],
  },
  {
    id: 'omni-observation',
    questionTypes: [],
    slots: {},
    templates: [
      'What can be observed in this image?',
      'What is visible in this image?',
      'What can be visually detected in this picture?',
      'What is the observed finding in this image?',
    ],
  },
  {
    id: 'omni-modality',
    questionTypes: ['Modality Recognition'],
    slots: {},
    templates: [
      'What imaging technique is utilized to obtain this picture?',
      'What imaging technique is employed to obtain this picture?',
      'What modality is used to take this image?',
      'What imaging modality was used to capture this image?',
    ],
  },
  {
    id: 'omni-lesion-grade',
    questionTypes: ['Lesion Grading'],
    slots: {},
    templates: [
      'What is the grade of the lesion in this image?',
      'What grade does the lesion in this image have?',
      'How would you grade the lesion in this image?',
    ],
  },
  {
    id: 'omni-attribute',
    questionTypes: ['Other Biological Attributes'],
    slots: {},
    templates: [
      'What attribute can be observed in this image?',
      'What biological attribute is shown in this image?',
      'Which attribute does this image show?',
    ],
  },
];

/** Single spaces, no space before '?', trimmed: "frame ?" and "frame?" match alike. */
export function normaliseQuestion(q: string): string {
  return q.trim().replace(/\s+/g, ' ').replace(/\s+([?;,])/g, '$1');
}

const SLOT = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

export function templateSlots(template: string): string[] {
  return [...template.matchAll(SLOT)].map((m) => m[1]);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Compiled {
  family: TemplateFamily;
  templateIndex: number;
  pattern: RegExp;
  slotOrder: string[];
}

// Patterns are built only from escaped literals, escaped vocabularies and `(.+?)`, never from user regex.
function compile(family: TemplateFamily, templateIndex: number): Compiled {
  const template = normaliseQuestion(family.templates[templateIndex]);
  const slotOrder: string[] = [];
  let source = '^';
  let last = 0;
  for (const m of template.matchAll(SLOT)) {
    source += escapeRegExp(template.slice(last, m.index));
    const values = family.slots[m[1]];
    source += values ? `(${[...values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})` : '(.+?)';
    slotOrder.push(m[1]);
    last = m.index! + m[0].length;
  }
  source += escapeRegExp(template.slice(last)) + '$';
  return { family, templateIndex, pattern: new RegExp(source, 'i'), slotOrder };
}

const compiledCache = new WeakMap<readonly TemplateFamily[], Compiled[]>();

function compiledFamilies(families: readonly TemplateFamily[]): Compiled[] {
  let c = compiledCache.get(families);
  if (!c) {
    c = families.flatMap((f) => f.templates.map((_, i) => compile(f, i)));
    compiledCache.set(families, c);
  }
  return c;
}

export interface TemplateMatch {
  family: TemplateFamily;
  templateIndex: number;
  /** Slot values as they appear in the question. */
  values: Record<string, string>;
}

function familyApplies(family: TemplateFamily, questionType: string): boolean {
  return family.questionTypes.length === 0 || questionType === '' || family.questionTypes.includes(questionType);
}

/** The first family template (in order) the question matches, for its question type; null if none. */
export function matchQuestion(question: string, questionType: string, families: readonly TemplateFamily[]): TemplateMatch | null {
  const q = normaliseQuestion(question);
  for (const c of compiledFamilies(families)) {
    if (!familyApplies(c.family, questionType)) continue;
    const m = c.pattern.exec(q);
    if (!m) continue;
    const values: Record<string, string> = {};
    c.slotOrder.forEach((name, i) => (values[name] = m[i + 1]));
    return { family: c.family, templateIndex: c.templateIndex, values };
  }
  return null;
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(SLOT, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`template slot {${name}} has no value`);
    return v;
  });
}

/** All phrasings of a question's family other than its own (empty when no family matches). */
export function paraphrases(question: string, questionType: string, families: readonly TemplateFamily[]): string[] {
  const m = matchQuestion(question, questionType, families);
  if (!m) return [];
  return m.family.templates.filter((_, i) => i !== m.templateIndex).map((t) => fillTemplate(t, m.values));
}

/** Untrusted JSON -> template families: known keys only, strings of bounded length, consistent slots. */
export function restoreTemplateFamilies(untrusted: unknown, source = 'templates'): TemplateFamily[] {
  if (!Array.isArray(untrusted)) throw new ConfigError(`${source}: expected a list of template families, got ${describe(untrusted)}`);
  if (untrusted.length > 500) throw new ConfigError(`${source}: more than 500 families`);
  const ids = new Set<string>();
  return untrusted.map((raw, i) => {
    const where = `${source}[${i}]`;
    const o = asObject(raw, where);
    const str = (v: unknown, field: string, max: number): string => {
      if (typeof v !== 'string' || v.length === 0 || v.length > max) {
        throw new ConfigError(`${field}: expected a non-empty string of at most ${max} characters, got ${describe(v)}`);
      }
      return v;
    };
    const list = (v: unknown, field: string, max: number): string[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.length > 200) throw new ConfigError(`${field}: expected a list of at most 200 strings, got ${describe(v)}`);
      return v.map((x, j) => str(x, `${field}[${j}]`, max));
    };
    const id = str(o.id, `${where}.id`, 100);
    if (ids.has(id)) throw new ConfigError(`${where}.id: duplicate id ${JSON.stringify(id)}`);
    ids.add(id);
    const slotsRaw = asObject(o.slots, `${where}.slots`);
    const slots: Record<string, string[] | null> = {};
    for (const [name, values] of Object.entries(slotsRaw)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new ConfigError(`${where}.slots: bad slot name ${JSON.stringify(name)}`);
      slots[name] = values === null ? null : list(values, `${where}.slots.${name}`, 100);
    }
    const templates = list(o.templates, `${where}.templates`, 300);
    if (templates.length < 2) throw new ConfigError(`${where}.templates: a family needs at least two phrasings`);
    const want = Object.keys(slots).sort().join(',');
    templates.forEach((t, j) => {
      const used = [...new Set(templateSlots(t))].sort().join(',');
      if (used !== want) {
        throw new ConfigError(`${where}.templates[${j}]: uses slots {${used}} but the family declares {${want}}`);
      }
    });
    return { id, questionTypes: list(o.questionTypes, `${where}.questionTypes`, 100), slots, templates };
  });
}
