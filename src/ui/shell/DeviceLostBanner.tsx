// Says, in words, that the GPU device was lost and what the lab is doing about it.
import { useDeviceStore } from '../../store/device.ts';

export function DeviceLostBanner() {
  const state = useDeviceStore((s) => s.state);
  const last = useDeviceStore((s) => s.events.findLast((e) => e.event === 'lost'));
  if (state.status === 'lost') {
    return (
      <div className="banner error" role="alert" data-testid="device-lost">
        {state.message}
      </div>
    );
  }
  if (last && state.status === 'ready') {
    return (
      <div className="banner ok" role="status" data-testid="device-recovered">
        Recovered from a lost GPU device at {new Date(last.at).toLocaleTimeString()}: now on device #{state.generation}. Nothing stored was lost.
      </div>
    );
  }
  return null;
}
