// The Data panel: the datasets stored in this browser, the drop zone with a preview of how the lab reads a drop,
// the import report, counts per split / type / modality / anatomy / source, and a browser of the records.
// AnatomySynth is generated and stored on a first start with no datasets.
import { useEffect } from 'react';
import { useDatasetsStore } from '../../store/datasets.ts';
import { Panel } from '../widgets/Panel.tsx';
import { DatasetList } from './data/DatasetList.tsx';
import { ImportReportCard } from './data/ImportReportCard.tsx';
import { IntakeCard, JobProgress } from './data/IntakeCard.tsx';
import { DatasetCounts, RecordBrowser } from './data/RecordBrowser.tsx';

export function DataPanel() {
  const init = useDatasetsStore((s) => s.init);
  useEffect(() => {
    void init();
  }, [init]);
  return (
    <Panel id="data" title="Data" lede="Drop VQA datasets (files, folders, zips), see how the lab reads them, and browse the records. Everything stays in this browser.">
      <JobProgress kinds={['demo']} />
      <DatasetList />
      <IntakeCard />
      <ImportReportCard />
      <DatasetCounts />
      <RecordBrowser />
    </Panel>
  );
}
