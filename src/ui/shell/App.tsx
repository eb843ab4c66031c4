// The lab's shell: navigation between panels, the open panel, and the device status bar.
import { useEffect } from 'react';
import { useDeviceStore } from '../../store/device.ts';
import { useUiStore } from '../../store/ui.ts';
import { setReproduceHandler, watchSharedRunHash } from '../../store/runs.ts';
import { useTrainingStore } from '../../store/training.ts';
import type { RunRecord } from '../../runs/record.ts';
import { NavBar } from './NavBar.tsx';
import { StatusBar } from './StatusBar.tsx';
import { NoWebGpuNotice } from './NoWebGpuNotice.tsx';
import { DeviceLostBanner } from './DeviceLostBanner.tsx';
import { PanelView } from '../panels/PanelView.tsx';

export function App() {
  const connect = useDeviceStore((s) => s.connect);
  const panel = useUiStore((s) => s.panel);
  useEffect(connect, [connect]);
  // A shared run link (#run=v1.…) opens the Runs panel on that run, at start-up and on every hashchange.
  useEffect(watchSharedRunHash, []);
  // A run that was training when the page unloaded resumes from its checkpoint, whichever panel is open.
  useEffect(() => void useTrainingStore.getState().init(), []);
  useEffect(() => setReproduceHandler(reproduceInTrainPanel), []);
  return (
    <div className="app">
      <NavBar />
      <DeviceLostBanner />
      <NoWebGpuNotice />
      <main className="panel-area" aria-live="polite">
        <PanelView panel={panel} />
      </main>
      <StatusBar />
    </div>
  );
}

/** Reproduce a (shared) run: its config and seed go into the Train panel, which the user then starts. */
function reproduceInTrainPanel(run: RunRecord): string {
  const problem = useTrainingStore.getState().loadRunConfig(run);
  if (problem) return problem;
  useUiStore.getState().openPanel('train');
  return `Loaded the config and seed of '${run.name}' into the Train panel; press Start to reproduce it.`;
}
