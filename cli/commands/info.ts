// `lab info`: the WebGPU adapter the lab gets in headless Chromium, its limits and features.
import { readFileSync } from 'node:fs';
import { withUsage, type Command } from '../command.ts';
import { withLabPage } from '../harness.ts';

const USAGE = 'usage: info [--json <file>]';

export const info: Command = withUsage(USAGE, async () => {
  const state = await withLabPage(({ page }) => page.evaluate(() => window.labAutomation!.deviceInfo()), (l) => console.error(l));
  const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  if (state.status !== 'ready' || !state.adapter) {
    throw new Error(`no WebGPU adapter in headless Chromium: ${state.message}`);
  }
  const a = state.adapter;
  const json = {
    version,
    adapter: { vendor: a.vendor, architecture: a.architecture, isFallbackAdapter: a.isFallbackAdapter, description: a.description },
    limits: a.limits,
    features: a.features,
  };
  const feats = Object.entries(a.features).map(([k, v]) => `${k}${v ? '' : ' (no)'}`).join(', ');
  return {
    json,
    message:
      `adapter: ${a.vendor} ${a.architecture}${a.isFallbackAdapter ? ' (fallback/software)' : ''}; ` +
      `maxStorageBufferBindingSize ${a.limits.maxStorageBufferBindingSize}, maxBufferSize ${a.limits.maxBufferSize}, ` +
      `maxComputeInvocationsPerWorkgroup ${a.limits.maxComputeInvocationsPerWorkgroup}; features: ${feats}`,
  };
});
