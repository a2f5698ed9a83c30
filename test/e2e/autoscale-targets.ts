/**
 * GPU "machines" for the autoscale e2e test: one built `gpuctl agent` per machine on a free loopback
 * port, each against the fake nvidia-smi (a one-GPU H200 capture, looping) replaying the chosen
 * utilisation. Prometheus scrapes their /metrics exactly as Fly would scrape the app's [metrics].
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakePath, ROOT, tempHome } from '../helpers/cli.js';

export interface GpuAgents {
  /** host:port of each agent, for the Prometheus config. */
  addresses: string[];
  stop(): Promise<void>;
}

async function startAgent(utilisation: number): Promise<{ address: string; child: ResultPromise }> {
  const home = tempHome();
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-agent-'));
  writeFileSync(join(dir, 'script.json'), JSON.stringify([{ 'utilization.gpu': utilisation }]));
  const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'agent', '--listen', '127.0.0.1:0', '--interval', '1s'], {
    reject: false,
    extendEnv: false,
    cwd: home,
    timeout: 5 * 60_000,
    env: {
      PATH: fakePath(['nvidia-smi']),
      HOME: home,
      NO_COLOR: '1',
      FAKE_NVIDIA_SMI_FIXTURE: 'public/gls__H200.nvidia-smi-q.txt',
      FAKE_NVIDIA_SMI_SCRIPT: join(dir, 'script.json'),
    },
  });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on http:\/\/([\d.]+:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    void child.then((r) => reject(new Error(`gpuctl agent exited (${String(r.exitCode)}) before listening: ${String(r.stderr)}`)));
  });
  return { address, child };
}

export async function startGpuAgents(utilisation: readonly number[]): Promise<GpuAgents> {
  const agents = await Promise.all(utilisation.map(startAgent));
  return {
    addresses: agents.map((a) => a.address),
    stop: async () => {
      for (const { child } of agents) child.kill('SIGTERM');
      await Promise.all(agents.map((a) => a.child));
    },
  };
}
