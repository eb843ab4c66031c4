// Where the browser has no WebGPU: what that means, what still works, and how to get it.
import { useDeviceStore } from '../../store/device.ts';

export function NoWebGpuNotice() {
  const state = useDeviceStore((s) => s.state);
  if (state.status !== 'unavailable') return null;
  return (
    <section className="banner warn" role="alert" data-testid="no-webgpu">
      <h2>This browser gives the lab no WebGPU</h2>
      <p>{state.message}</p>
      <p>
        <b>Still works:</b> loading and validating datasets, the curriculum and augmentation panels, evaluation
        tables, run history and shared run URLs, and training of the <code>micro</code> policy on the CPU
        reference backend (slowly).
      </p>
      <p>
        <b>To get WebGPU:</b> use Chrome or Edge 113 or newer (Chrome 121+ on Android). On Linux, start Chrome
        with <code>--enable-unsafe-webgpu</code> (add <code>--enable-features=Vulkan</code> for a real GPU);
        without a GPU, Chrome's built-in SwiftShader adapter still runs everything, slowly. Check{' '}
        <code>chrome://gpu</code> for “WebGPU: Hardware accelerated”. Safari 26+ and Firefox 141+ (Windows) ship WebGPU too.
      </p>
    </section>
  );
}
