// How the lab starts Debian's Chromium, for the CLI and for Playwright alike: WebGPU on (SwiftShader where
// there is no GPU) and every background connection off, because this machine's network is closed.

export const CHROMIUM_PATH = process.env.LAB_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
