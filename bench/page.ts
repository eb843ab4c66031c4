// The benchmark page's entry: installs `window.labBench`, which `lab bench` calls. Suites are added here.
declare global {
  interface Window {
    labBench?: { ready: true };
  }
}
window.labBench = { ready: true };
export {};
