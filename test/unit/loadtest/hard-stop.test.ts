/**
 * The load's hard stop is on the clock it is given (issue 22, Time): a run whose duration has not ended
 * in real time is stopped once the clock says duration + timeout + grace have passed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HARD_STOP_GRACE_S, runLoad } from '../../../src/loadtest/autocannon.js';
import { fakeClock } from '../../helpers/clock.js';

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('stops a 10-minute run when the clock reaches its hard deadline, not before', async () => {
  const clock = fakeClock();
  let done = false;
  const request = { url, method: 'GET' as const, headers: {}, durationS: 600, connections: 1, rate: 20, timeoutS: 10 };
  const running = runLoad(request, new AbortController().signal, clock).then((outcome) => ((done = true), outcome));
  while (clock.pending() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await clock.advance((600 + 10 + HARD_STOP_GRACE_S) * 1000 - 1);
  expect(done).toBe(false);
  await clock.advance(1);
  const outcome = await running;
  expect(outcome.interrupted).toBe(false);
  expect(clock.pending()).toBe(0);
}, 20_000);
