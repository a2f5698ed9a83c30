/**
 * GPU metric targets for the autoscale e2e test: one loopback HTTP server per "machine", serving a
 * prom-client registry with dcgm-exporter's names and labels at a fixed utilisation.
 */
import { createServer, type Server } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { freePort } from '../helpers/prometheus-server.js';

export interface GpuExporters {
  /** host:port of each target, for the Prometheus config. */
  addresses: string[];
  stop(): Promise<void>;
}

export async function startGpuExporters(utilisation: readonly number[]): Promise<GpuExporters> {
  const servers: Server[] = [];
  const addresses: string[] = [];
  for (const [i, value] of utilisation.entries()) {
    const registry = new Registry();
    const gauge = new Gauge({
      name: 'DCGM_FI_DEV_GPU_UTIL',
      help: 'GPU utilization (in %).',
      labelNames: ['gpu', 'UUID', 'modelName', 'Hostname'],
      registers: [registry],
    });
    gauge.set({ gpu: '0', UUID: `GPU-0000000${i}`, modelName: 'NVIDIA H100 80GB HBM3', Hostname: `machine-${i}` }, value);
    const port = await freePort();
    const server = createServer((_req, res) => {
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    servers.push(server);
    addresses.push(`127.0.0.1:${port}`);
  }
  return {
    addresses,
    stop: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
