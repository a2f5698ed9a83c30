/**
 * `monitor --agent`'s reading of one agent's /metrics: an agent that answers but serves no GPU series
 * says why from its own series (no sample yet, a sampler failing, no GPU), not "is it a gpuctl agent?".
 * Served by a real HTTP server on loopback with exposition text in the agent's format.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readAgent } from '../../../src/prometheus/agent-scrape.js';

let server: Server | undefined;
const stop = () =>
  new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
    server = undefined;
  });
afterEach(stop);

async function serve(body: string): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const info = (mode: string) => `# TYPE gpuctl_agent_info gauge\ngpuctl_agent_info{version="0.1.0",mode="${mode}"} 1\n`;
const age = (v: number) => `# TYPE gpuctl_agent_last_sample_age_seconds gauge\ngpuctl_agent_last_sample_age_seconds{Hostname="m1"} ${v}\n`;
const util =
  'DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1",device="nvidia0",modelName="NVIDIA H200",Hostname="m1",pci_bus_id="00000000:18:00.0"} 55\n';

describe('readAgent', () => {
  it('says the sampler is failing (with the age) when the agent serves no GPU series but an old sample age', async () => {
    const url = await serve(info('gpu') + age(73.4));
    const m = await readAgent({ url, timeoutMs: 5000 });
    expect(m.gpus).toEqual([]);
    expect(m.error).toBe("the agent's last GPU sample is 73 s old (nvidia-smi is failing or hung; the agent's /gpu-health says why)");
    expect(m.id).toBe(new URL(url).host);
    expect(m.ageSeconds).toBe(73.4);
  });

  it('says no sample yet for an age of -1, and a CPU machine for cpu fallback', async () => {
    let url = await serve(info('gpu') + age(-1));
    expect((await readAgent({ url, timeoutMs: 5000 })).error).toBe(
      "the agent has no GPU sample yet (nvidia-smi has not answered; the agent's /gpu-health says why)",
    );
    await stop();
    url = await serve(info('cpu fallback') + age(-1));
    expect((await readAgent({ url, timeoutMs: 5000 })).error).toBe(
      'the agent found no nvidia-smi (CPU fallback): a machine without a GPU, or no NVIDIA driver in its image',
    );
  });

  it('reports the sample age of an agent that serves GPUs, and the GPUs', async () => {
    const url = await serve(info('gpu') + age(1.25) + util);
    const m = await readAgent({ url, timeoutMs: 5000 });
    expect(m.error).toBeUndefined();
    expect(m.id).toBe('m1');
    expect(m.ageSeconds).toBe(1.3);
    expect(m.gpus.map((g) => [g.index, g.name, g.utilGpuPct])).toEqual([[0, 'NVIDIA H200', 55]]);
  });

  it('keeps the old words for a server that is no gpuctl agent', async () => {
    const url = await serve('# nothing of ours\nup 1\n');
    expect((await readAgent({ url, timeoutMs: 5000 })).error).toBe(
      '/metrics serves no GPU series (is it a gpuctl agent on a GPU machine?)',
    );
  });
});
