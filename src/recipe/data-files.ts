// The exported training data as each target reads it: Parquet (hyparquet-writer, nested columns as the Hugging
// Face datasets loader expects them) and JSONL, plus the image files. Column layouts:
//   verl    data_source, prompt [{role, content "<image>..."}], images [{bytes, path}] or [{image: path}], ability,
//           reward_model {style: "rule", ground_truth}, extra_info {...}   (verl examples/data_preprocess/geo3k.py)
//   EasyR1  problem "<image>...", answer, images [{bytes, path}] or [path] with data.image_dir
//           (examples/config.yaml prompt_key/answer_key/image_key)
//   TRL     prompt [{role, content}], image {bytes, path}, solution   (GRPOTrainer vision datasets)
// Every layout also carries the lab's columns (row_id, group_id, variant_id, similarity, stage, ...).

import { parquetWriteBuffer } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';
import type { TargetId } from './mapping.ts';
import type { RecipeRow } from './rows.ts';
import { groundTruth, promptParts, promptText } from './prompt.ts';
import { goldLetter } from './rows.ts';

/** How images travel: inside the Parquet file, or as files under images/ that rows name by relative path. */
export type ImageMode = 'embed' | 'path';

/** An image of a row, as written. */
export interface RowImage {
  /** Relative path of the image file in the export ('images/....png'). */
  path: string;
  /** Encoded file bytes (PNG or JPEG). */
  bytes: Uint8Array;
}

const utf8 = (name: string, optional = false): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: optional ? 'OPTIONAL' : 'REQUIRED',
});
const int32 = (name: string): SchemaElement => ({ name, type: 'INT32', repetition_type: 'REQUIRED' });
const double = (name: string, optional = false): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: optional ? 'OPTIONAL' : 'REQUIRED' });
const binary = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' });
/** A struct node followed by its children (preorder, as Parquet schemas are written). */
const struct = (name: string, children: SchemaElement[][], optional = true): SchemaElement[] => [
  { name, repetition_type: optional ? 'OPTIONAL' : 'REQUIRED', num_children: children.length },
  ...children.flat(),
];
/** The standard three-level LIST of one element type. */
const list = (name: string, element: SchemaElement[]): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { ...element[0], name: 'element' },
  ...element.slice(1),
];

const imageStruct = (name: string) => struct(name, [[binary('bytes')], [utf8('path', true)]]);
const messageList = (name: string) => list(name, struct('element', [[utf8('role')], [utf8('content')]]));

/** The lab's own columns, the same in every layout. */
const LAB_SCHEMA: SchemaElement[][] = [
  [utf8('row_id')],
  [utf8('record_id')],
  [utf8('group_id')],
  [int32('step')],
  [int32('position')],
  [int32('variant_id')],
  [int32('rollouts')],
  [double('similarity', true)],
  [double('natural_similarity', true)],
  [utf8('stage')],
  [double('pacing_level')],
  [utf8('question')],
  list('options', [utf8('element', true)]),
  [utf8('gold_letter')],
  [utf8('answer_text')],
  [utf8('variant_operators')],
  [utf8('image_transforms')],
  [utf8('question_type')],
  [utf8('modality')],
  [utf8('anatomy')],
  [utf8('source')],
  [utf8('image_ref')],
];

function labColumns(row: RecipeRow, image: RowImage | undefined): Record<string, unknown> {
  return {
    row_id: row.rowId,
    record_id: row.recordId,
    group_id: row.groupId,
    step: row.step,
    position: row.position,
    variant_id: row.variantId,
    rollouts: row.rollouts,
    similarity: row.similarity,
    natural_similarity: row.naturalSimilarity,
    stage: row.stage,
    pacing_level: row.pacingLevel,
    question: row.question,
    options: row.options.slice(),
    gold_letter: goldLetter(row),
    answer_text: row.options[row.goldIndex],
    variant_operators: JSON.stringify(row.variantOperators),
    image_transforms: JSON.stringify(row.imageTransforms),
    question_type: row.questionType,
    modality: row.modality,
    anatomy: row.anatomy,
    source: row.source,
    image_ref: image?.path ?? '',
  };
}

interface Layout {
  schema: SchemaElement[][];
  columns(row: RecipeRow, image: RowImage | undefined, mode: ImageMode): Record<string, unknown>;
}

const imageValue = (image: RowImage | undefined, mode: ImageMode) =>
  image === undefined ? null : { bytes: mode === 'embed' ? image.bytes : null, path: image.path };

function layout(target: TargetId, mode: ImageMode): Layout {
  switch (target) {
    case 'verl':
      return {
        schema: [
          [utf8('data_source')],
          messageList('prompt'),
          mode === 'embed' ? list('images', imageStruct('element')) : list('images', struct('element', [[utf8('image')]])),
          [utf8('ability')],
          struct('reward_model', [[utf8('style')], [utf8('ground_truth')]]),
          struct('extra_info', [[int32('index')], [utf8('split')], [utf8('row_id')], [utf8('group_id')], [int32('variant_id')], [double('similarity', true)], [utf8('stage')]]),
        ],
        columns: (row, image) => ({
          data_source: 'anatomy-r1-lab',
          prompt: [{ role: 'user', content: `${image ? '<image>' : ''}${promptText(row)}` }],
          // Path mode: verl's process_image hands {"image": path} to qwen_vl_utils.fetch_image, which opens it with
          // PIL relative to the dataset worker's working directory.
          images: image ? [mode === 'embed' ? imageValue(image, mode) : { image: image.path }] : [],
          ability: 'anatomy-vqa',
          reward_model: { style: 'rule', ground_truth: groundTruth(row) },
          extra_info: { index: row.position, split: 'train', row_id: row.rowId, group_id: row.groupId, variant_id: row.variantId, similarity: row.similarity, stage: row.stage },
        }),
      };
    case 'easyr1':
      return {
        schema: [[utf8('problem')], [utf8('answer')], mode === 'embed' ? list('images', imageStruct('element')) : list('images', [utf8('element', true)])],
        columns: (row, image) => ({
          problem: `${image ? '<image>' : ''}${promptParts(row).body}`,
          answer: groundTruth(row),
          // Path mode: EasyR1 joins string image entries with data.image_dir.
          images: image ? [mode === 'embed' ? imageValue(image, mode) : image.path] : [],
        }),
      };
    case 'trl':
      return {
        schema: [messageList('prompt'), imageStruct('image'), [utf8('solution')]],
        columns: (row, image) => ({
          prompt: [{ role: 'user', content: promptText(row) }],
          image: imageValue(image, mode),
          solution: groundTruth(row),
        }),
      };
  }
}

/** The column names of a target's layout, target columns first. */
export function layoutColumns(target: TargetId, mode: ImageMode): string[] {
  const l = layout(target, mode);
  return [...l.schema, ...LAB_SCHEMA].map((el) => el[0].name);
}

/** One Parquet file holding every row, in order. */
export function writeRowsParquet(
  target: TargetId,
  rows: readonly RecipeRow[],
  images: ReadonlyMap<string, RowImage>,
  mode: ImageMode,
  kvMetadata: Record<string, string> = {},
): Uint8Array {
  const l = layout(target, mode);
  const groups = [...l.schema, ...LAB_SCHEMA];
  const objects = rows.map((row) => {
    const image = images.get(row.rowId);
    return { ...l.columns(row, image, mode), ...labColumns(row, image) };
  });
  const schema: SchemaElement[] = [{ name: 'root', num_children: groups.length }, ...groups.flat()];
  const columnData = groups.map((g) => ({ name: g[0].name, data: objects.map((o) => (o as Record<string, unknown>)[g[0].name]) }));
  const buffer = parquetWriteBuffer({
    schema,
    columnData,
    kvMetadata: Object.entries(kvMetadata).map(([key, value]) => ({ key, value })),
    createdBy: 'anatomy-r1-lab recipe export',
  });
  return new Uint8Array(buffer);
}

/** The same rows as JSON lines; images are always referenced by relative path (never inlined). */
export function writeRowsJsonl(target: TargetId, rows: readonly RecipeRow[], images: ReadonlyMap<string, RowImage>): string {
  const l = layout(target, 'path');
  return rows
    .map((row) => {
      const image = images.get(row.rowId);
      return JSON.stringify({ ...l.columns(row, image, 'path'), ...labColumns(row, image) });
    })
    .join('\n') + '\n';
}
