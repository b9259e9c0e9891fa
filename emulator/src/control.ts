// The emulator's own endpoints, for users in another process (the real-VS-Code
// runner, CLI subprocess tests, the demo): set and clear faults, read the
// state, reset it. Loopback only, never faulted, never recorded.

import { FaultTable, parseFault } from './faults';
import { type HttpExchange, sendErrorStrings } from './http';

export const CONTROL_PREFIX = '/__emulator/';

export interface ControlContext {
  faults: FaultTable;
  state: () => unknown;
  reset: () => void;
}

/** `times` over JSON: a positive number, or null / "Infinity" for no limit; 1 when absent. */
function parseTimes(value: unknown): number {
  if (value === undefined) return 1;
  if (value === null || value === 'Infinity') return Infinity;
  if (typeof value === 'number' && value > 0) return value;
  throw new Error('"times" is a positive number, or null / "Infinity" for no limit');
}

export async function handleControl(ex: HttpExchange, ctx: ControlContext): Promise<void> {
  if (!ex.fromLoopback) {
    sendErrorStrings(ex, 403, 'the emulator control endpoints answer loopback only');
    return;
  }
  const route = `${ex.method} ${ex.path}`;
  switch (route) {
    case 'GET /__emulator/state':
      ex.json(200, ctx.state());
      return;
    case 'POST /__emulator/faults': {
      try {
        const body = JSON.parse((await ex.readBody()).toString('utf8')) as Record<string, unknown>;
        if (typeof body?.path !== 'string') throw new Error('"path" (a path prefix) is required');
        ctx.faults.add(body.path, parseFault(body.fault), parseTimes(body.times));
      } catch (err) {
        sendErrorStrings(ex, 400, err instanceof Error ? err.message : String(err));
        return;
      }
      ex.json(201, { faults: ctx.faults.list() });
      return;
    }
    case 'DELETE /__emulator/faults':
      ctx.faults.clear();
      ex.send(204);
      return;
    case 'POST /__emulator/reset':
      await ex.readBody();
      ctx.reset();
      ex.send(204);
      return;
    default:
      sendErrorStrings(ex, 404, `unknown control endpoint ${route}: GET /__emulator/state, POST|DELETE /__emulator/faults, POST /__emulator/reset`);
  }
}
