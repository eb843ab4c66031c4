// The lab's shell: navigation between panels, the open panel, and the device status bar.
import { useEffect } from 'react';
import { useDeviceStore } from '../../store/device.ts';
import { useUiStore } from '../../store/ui.ts';
import { watchSharedRunHash } from '../../store/runs.ts';
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
