// The Data panel: Drop VQA datasets (files, folders, zips), see how the lab reads them, and browse the records.
import { Panel, Planned } from '../widgets/Panel.tsx';

export function DataPanel() {
  return (
    <Panel id="data" title="Data" lede="Drop VQA datasets (files, folders, zips), see how the lab reads them, and browse the records.">
      <Planned
        issue={5}
        items={[
          'A drop zone and file picker for files, folders and .zip archives; nothing leaves this machine',
          'Format detection for OmniMedVQA, SGG-VQA (Anatomy-R1), Med-R1, MedVLM-R1, VQA-RAD, VLMEvalKit TSV, JSONL/CSV and Parquet',
          'Per-record validation messages naming file, record and field; counts of accepted, repaired and rejected records',
          'Counts per split, question type, modality and anatomy; a record browser with thumbnails and the gold option marked',
          'AnatomySynth, the built-in synthetic anatomy benchmark the lab opens with',
        ]}
      />
    </Panel>
  );
}
