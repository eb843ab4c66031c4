import { describe, expect, it } from 'vitest';
import { nodeGpu } from '../test/node-gpu.ts';
import { EngineClient, type MessagePort } from './client.ts';
import { EngineHandler } from './handler.ts';
import type { DeviceState, FromWorker, ToWorker } from './protocol.ts';

/** Wires a client to a handler in one process, with structured-clone semantics like a real worker. */
function connect(gpu: GPU | undefined) {
  const port: MessagePort = {
    onmessage: null,
    postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)),
  };
  const handler = new EngineHandler(gpu, (msg: FromWorker) =>
    port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>),
  );
  return { client: new EngineClient(port), handler };
}

describe('engine worker protocol', () => {
  it('reports the SwiftShader adapter with limits and features', async () => {
    const { client } = connect(nodeGpu);
    const state = await client.request('device/info', {});
    expect(state.status).toBe('ready');
    expect(state.generation).toBe(1);
    expect(state.adapter?.architecture).toBe('swiftshader');
    expect(state.adapter?.isFallbackAdapter).toBe(true);
    expect(state.adapter?.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(state.adapter?.features.subgroups).toBe(true);
  });

  it('reports a destroyed device as lost and recovers with a new one', async () => {
    const { client } = connect(nodeGpu);
    await client.request('device/info', {});
    const events: Array<[string, DeviceState]> = [];
    const recovered = new Promise<DeviceState>((resolve) => {
      client.onDevice((state, event) => {
        events.push([event, state]);
        if (event === 'ready') resolve(state);
      });
    });
    expect(await client.request('device/destroy', {})).toEqual({ destroyed: true });
    const state = await recovered;
    expect(events.map(([e]) => e)).toEqual(['lost', 'acquiring', 'ready']);
    expect(events[0][1].message).toMatch(/lost/);
    expect(state.generation).toBe(2);
  });

  it('says plainly when there is no WebGPU', async () => {
    const { client } = connect(undefined);
    const state = await client.request('device/info', {});
    expect(state.status).toBe('unavailable');
    expect(state.message).toMatch(/navigator\.gpu is missing/);
  });

  it('streams progress and honours cancellation', async () => {
    const { client } = connect(undefined);
    const seen: number[] = [];
    expect(await client.request('diagnostics/count', { to: 3, delayMs: 1 }, { onProgress: (p) => seen.push(p.done) })).toEqual({ reached: 3 });
    expect(seen).toEqual([1, 2, 3]);

    const controller = new AbortController();
    const job = client.request('diagnostics/count', { to: 1000, delayMs: 2 }, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 2) controller.abort();
      },
    });
    await expect(job).rejects.toMatchObject({ name: 'CancelledError' });
  });
});
