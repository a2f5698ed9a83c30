/**
 * `gpuctl monitor --app APP --agent URL`: the remote view read straight from real `gpuctl agent`
 * processes on loopback (the built CLI, against the fake nvidia-smi). With GPUCTL_AGENT_TOKEN the agent
 * answers /metrics only to its bearer; monitor sends it as that header and never prints it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runGpuctl } from '../helpers/cli.js';
import { startAgent, stopAll } from './agent-helpers.js';

const TOKEN = 'agent-bearer-4b9e2d71c0';
const H200 = 'public/gls__H200.nvidia-smi-q.txt';

afterEach(stopAll);

const monitor = (args: readonly string[], env: Record<string, string> = {}) => runGpuctl(['monitor', '--app', 'desk', ...args], { env });

describe('gpuctl monitor --app --agent (the agents, no Prometheus)', () => {
  it('sends GPUCTL_AGENT_TOKEN as a bearer to an agent that requires it, and prints its GPUs, never the token', async () => {
    const agents = await Promise.all(
      [41, 77].map((u) => startAgent({ env: { GPUCTL_AGENT_TOKEN: TOKEN }, fixture: H200, script: [{ 'utilization.gpu': u }] })),
    );
    // The agent really wants the token (the request monitor makes without one is refused).
    expect((await fetch(`${agents[0]!.url}/metrics`)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few sampler rounds at 200 ms
    const r = await monitor(['--once', '--json', ...agents.flatMap((a) => ['--agent', a.url])], { GPUCTL_AGENT_TOKEN: TOKEN });
    expect(r.exitCode, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout) as {
      machines: Array<{ instance: string; error?: string; gpus: Array<{ utilGpuPct: number; name: string }> }>;
    };
    expect(record.machines.map((m) => [m.instance, m.error, m.gpus.map((g) => g.utilGpuPct)])).toEqual(
      agents.map((a, i) => [new URL(a.url).host, undefined, [[41, 77][i]]]),
    );
    expect(record.machines[0]!.gpus[0]!.name).toMatch(/H200/);
    const screen = await monitor(['--once', '--agent', agents[1]!.url, '--max-util', '50'], { GPUCTL_AGENT_TOKEN: TOKEN });
    expect(screen.exitCode, screen.stderr).toBe(0);
    expect(screen.stdout).toMatch(/ {4}0 {2}NVIDIA H200\S* +\[#{8}\.{2}\] +77%/);
    for (const run of [r, screen]) expect(run.stdout + run.stderr).not.toContain(TOKEN);
    for (const agent of agents) expect(agent.stderr()).not.toContain(TOKEN);
  });

  it('without the token, or with a wrong one, says so (exit 1) and prints no token', async () => {
    const agent = await startAgent({ env: { GPUCTL_AGENT_TOKEN: TOKEN }, fixture: H200 });
    const none = await monitor(['--once', '--agent', agent.url]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`${new URL(agent.url).host}: /metrics answered 401: it wants a token: set GPUCTL_AGENT_TOKEN`);
    const wrong = await monitor(['--once', '--agent', agent.url], { GPUCTL_AGENT_TOKEN: 'not-the-token-93ab' });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('answered 401: it refused the token in GPUCTL_AGENT_TOKEN');
    expect(wrong.stdout + wrong.stderr).not.toContain('not-the-token-93ab');
  });

  it('an agent URL with credentials in it, or without --app, is bad input (exit 2)', async () => {
    const creds = await monitor(['--once', '--agent', 'http://user:secret@127.0.0.1:9400']);
    expect(creds.exitCode).toBe(2);
    expect(creds.stderr).toContain('--agent holds credentials (user:password@) in its URL');
    expect(creds.stderr).not.toContain('secret');
    const noApp = await runGpuctl(['monitor', '--once', '--agent', 'http://127.0.0.1:9400']);
    expect(noApp.exitCode).toBe(2);
    expect(noApp.stderr).toContain('--agent is for the remote view');
  });
});
