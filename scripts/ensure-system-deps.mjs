// `pretest`: the tests need Debian's chromium (for Playwright and SwiftShader's Vulkan driver) and libvulkan1
// (for Dawn in Node). Installs them when running as root, otherwise prints the exact command.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function hasLibvulkan() {
  try {
    return execSync('ldconfig -p', { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'].some(existsSync);
  }
}

const missing = [];
if (!existsSync(CHROMIUM) || !existsSync(ICD)) missing.push('chromium');
if (!hasLibvulkan()) missing.push('libvulkan1');

if (missing.length === 0) {
  process.exit(0);
}
const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`The tests need ${missing.join(' and ')}. Install them with:\n  sudo ${command}`);
  process.exit(1);
}
console.log(`pretest: installing ${missing.join(', ')} (${command})`);
execSync(command, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
