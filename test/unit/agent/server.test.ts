/** The agent's HTTP server (server.ts) on loopback, with stub routes: methods and unknown paths. */
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../../../src/agent/server.js';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const routes = {
  health: () => ({ status: 'ok' as const, mode: 'gpu' as const, gpus: 1, lastSampleAgeSeconds: 0.1, samplerRestarts: 0, failures: [] }),
  metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'up 1\n' }),
};

describe('agent server', () => {
  it('answers another method 405 with the Allow header HTTP requires (RFC 9110 15.5.6), and no body for HEAD', async () => {
    running = await listen(routes, '127.0.0.1', 0);
    const post = await fetch(`${running.url}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${running.url}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const missing = await fetch(`${running.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no /nope; try /health, /gpu-health or /metrics' });
  });

  it("writes its JSON bodies as gpuctl's printer does: a C1 control from nvidia-smi's text (U+009B, a terminal's CSI) escaped, the value the same", async () => {
    const failing = {
      ...routes,
      health: () => ({
        ...routes.health(),
        status: 'failing' as const,
        failures: [{ condition: 'temperature' as const, gpu: 0, message: 'GPU 0 \u009b2J at 91 C' }],
      }),
    };
    running = await listen(failing, '127.0.0.1', 0);
    const answer = await fetch(`${running.url}/gpu-health`);
    const body = await answer.text();
    expect(answer.status).toBe(503);
    expect(body).not.toContain('\u009b');
    expect(body).toContain('GPU 0 \\u009b2J at 91 C');
    expect((JSON.parse(body) as { failures: Array<{ message: string }> }).failures[0]?.message).toBe('GPU 0 \u009b2J at 91 C');
  });
});
