// The UI's handle on the engine worker. Stores call it; components never do.
import { engineClient, type EngineClient } from '../worker/client.ts';

let client: EngineClient | null = null;

export function engine(): EngineClient {
  client ??= engineClient();
  return client;
}
