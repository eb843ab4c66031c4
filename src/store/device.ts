// UI state of the GPU device: what the status bar shows and what panels consult before GPU work.
import { create } from 'zustand';
import type { DeviceState } from '../worker/protocol.ts';
import { engine } from './engine.ts';

export interface DeviceEvent {
  at: number;
  event: string;
  message: string;
}

interface DeviceStore {
  state: DeviceState;
  /** Recent device events, newest last (losses and recoveries), for the status bar's details. */
  events: DeviceEvent[];
  /** Number of losses seen in this session. */
  losses: number;
  connect: () => void;
  reacquire: () => Promise<void>;
  simulateLoss: () => Promise<void>;
}

let connected = false;

export const useDeviceStore = create<DeviceStore>((set) => ({
  state: { status: 'acquiring', adapter: null, generation: 0, message: 'Starting the engine worker…' },
  events: [],
  losses: 0,
  connect: () => {
    if (connected) return;
    connected = true;
    engine().onDevice((state, event) =>
      set((s) => ({
        state,
        losses: s.losses + (event === 'lost' ? 1 : 0),
        events: [...s.events, { at: Date.now(), event, message: state.message }].slice(-20),
      })),
    );
    void engine()
      .request('device/info', {})
      .then((state) => set({ state }));
  },
  reacquire: async () => {
    const state = await engine().request('device/reacquire', {});
    set({ state });
  },
  simulateLoss: async () => {
    await engine().request('device/destroy', {});
  },
}));
