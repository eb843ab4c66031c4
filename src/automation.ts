// `window.labAutomation`: the page's scripted face for the `lab` CLI and Playwright. It goes through the same
// engine client as the UI (no second implementation), and returns plain JSON.
import { engine } from './store/engine.ts';
import type { DataListing, DeviceState } from './worker/protocol.ts';

export interface LabAutomation {
  version: string;
  commit: string;
  deviceInfo(): Promise<DeviceState>;
  destroyDevice(): Promise<{ destroyed: boolean }>;
  /** The datasets stored in this browser (Data panel, issue #5). */
  listDatasets(): Promise<DataListing>;
}

declare global {
  interface Window {
    labAutomation?: LabAutomation;
  }
}

export function installAutomation(): void {
  window.labAutomation = {
    version: __APP_VERSION__,
    commit: __APP_COMMIT__,
    deviceInfo: () => engine().request('device/info', {}),
    destroyDevice: () => engine().request('device/destroy', {}),
    listDatasets: () => engine().request('data/list', {}),
  };
}
