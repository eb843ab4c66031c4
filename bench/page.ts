// The benchmark page's entry: installs `window.labBench`, which `lab bench` calls through Playwright.
// Suites are loaded on demand so the page is ready at once and each suite pulls in only its libraries.
import type { KernelSuiteOptions } from './kernel-suite.ts';
import type { KernelSuiteReport } from './report.ts';
import type { ModelSuiteOptions, ModelSuiteReport } from './model-suite-report.ts';

/** The page's scripted face; `lab bench` waits for `ready`. */
export interface LabBench {
  ready: true;
  /** Runs `--suite kernels`; progress lines go to console.log (the CLI forwards them to stderr). */
  runKernels(options?: KernelSuiteOptions): Promise<KernelSuiteReport>;
  /** Runs `--suite model` (policy forward vs onnxruntime-web, KV-cache generation). */
  runModel(options?: ModelSuiteOptions): Promise<ModelSuiteReport>;
}

declare global {
  interface Window {
    labBench?: LabBench;
  }
}

const status = document.getElementById('status');

window.labBench = {
  ready: true,
  async runKernels(options = {}) {
    const { runKernelSuite } = await import('./kernel-suite.ts');
    return runKernelSuite(options, (line) => {
      console.log(`[bench] ${line}`);
      if (status) status.textContent = line;
    });
  },
  async runModel(options = {}) {
    const { runModelSuite } = await import('./model-suite.ts');
    return runModelSuite(options, (line) => {
      console.log(`[bench] ${line}`);
      if (status) status.textContent = line;
    });
  },
};
