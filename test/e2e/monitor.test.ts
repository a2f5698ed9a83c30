/** `gpuctl monitor` as people run it: --once and --json from the built CLI; the live view in a real tmux. */
import { execa, execaSync } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakePath, ROOT, runGpuctl, tempHome } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gpuctl-monitor-'));
const FIXTURE = 'public/gls__H100NVLx2.nvidia-smi-q.txt';
// The capture's first GPU, from its own nvidia-smi -q text.
const script = join(dir, 'script.json');
writeFileSync(
  script,
  JSON.stringify([
    { 'utilization.gpu': [11, 3], 'temperature.gpu': [50, 91], 'memory.used': [39000, 1000] },
    { 'utilization.gpu': [77, 3], 'temperature.gpu': [50, 91], 'memory.used': [39000, 1000] },
  ]),
);
const apps = join(dir, 'apps.json');
writeFileSync(apps, '[]');

async function firstUuid(): Promise<string> {
  const r = await runGpuctl(['detect', '--json'], { tools: ['nvidia-smi'], env: { FAKE_NVIDIA_SMI_FIXTURE: FIXTURE } });
  return (JSON.parse(r.stdout) as { gpus: Array<{ uuid: string }> }).gpus[0]!.uuid;
}

const env = (steps: string) => ({
  FAKE_NVIDIA_SMI_FIXTURE: FIXTURE,
  FAKE_NVIDIA_SMI_SCRIPT: script,
  FAKE_NVIDIA_SMI_STEPS: steps,
  FAKE_NVIDIA_SMI_APPS: apps,
});

describe('gpuctl monitor', () => {
  it('--once prints one screen: every GPU, its processes and the alert line', async () => {
    writeFileSync(apps, JSON.stringify([{ pid: 4242, process_name: 'python3 serve.py', used_memory: 39000, gpu_uuid: await firstUuid() }]));
    const r = await runGpuctl(['monitor', '--once'], { tools: ['nvidia-smi'], env: env(join(dir, 'steps-once')) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ {4}0 {2}NVIDIA H100 NVL +\[#\.{9}\] +11% {2}39000 \/ 95830 MiB \(41%\)/);
    expect(r.stdout).toContain('    GPU 0     4242   39000 MiB  python3 serve.py');
    expect(r.stdout).toContain('ALERT: ');
    expect(r.stdout).toContain('GPU 1 at 91 °C (limit 85 °C)');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('--json prints one NDJSON record per sample', async () => {
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'monitor', '--json', '--interval', '100ms'], {
      reject: false,
      extendEnv: false,
      env: { PATH: fakePath(['nvidia-smi']), HOME: tempHome(), NO_COLOR: '1', ...env(join(dir, 'steps-json2')) },
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => void (out += c.toString()));
    await expect.poll(() => out.split('\n').filter(Boolean).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const records = out
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            schemaVersion: number;
            machines: Array<{ gpus: Array<{ utilGpuPct: number }> }>;
            alerts: Array<{ kind: string; gpu: number }>;
          },
      );
    expect(records[0]?.schemaVersion).toBe(1);
    expect(records.slice(0, 2).map((r) => r.machines[0]?.gpus[0]?.utilGpuPct)).toEqual([11, 77]);
    expect(records[0]?.alerts.map((a) => [a.kind, a.gpu])).toEqual([['temperature', 1]]);
  });

  it('live, a failing nvidia-smi is shown each interval until Ctrl-C; --once fails with it (exit 1)', async () => {
    const lost = { FAKE_NVIDIA_SMI_FIXTURE: FIXTURE, FAKE_NVIDIA_SMI_MODE: 'lost-gpu' };
    const child = execa(process.execPath, [join(ROOT, 'bin/gpuctl.js'), 'monitor', '--interval', '100ms'], {
      reject: false,
      extendEnv: false,
      env: { PATH: fakePath(['nvidia-smi']), HOME: tempHome(), NO_COLOR: '1', ...lost },
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => void (out += c.toString()));
    // Before, the first failure ended the live view (exit 1); now each sample shows it and the next one tries again.
    await expect.poll(() => out.split('Unable to determine the device handle').length - 1, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(130);
    const once = await runGpuctl(['monitor', '--once'], { tools: ['nvidia-smi'], env: lost });
    expect(once.exitCode).toBe(1);
    expect(once.stderr).toContain('Unable to determine the device handle');
  });

  it('says there is no GPU to monitor without nvidia-smi (exit 3)', async () => {
    const r = await runGpuctl(['monitor', '--once'], { tools: [] });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('nvidia-smi was not found: there is no NVIDIA GPU to monitor here.');
  });
});

// tmux: a real terminal. The socket is this test's own; the server is killed afterwards.
const socket = `gpuctl-monitor-${process.pid}`;
const tmux = (...args: string[]) => execaSync('tmux', ['-L', socket, ...args], { reject: false });
const screen = () => String(tmux('capture-pane', '-p', '-t', 'mon').stdout);
const hasTmux = execaSync('tmux', ['-V'], { reject: false }).exitCode === 0;

afterAll(() => {
  if (hasTmux) tmux('kill-server');
});

describe('gpuctl monitor in a terminal (tmux)', () => {
  it('redraws in place, shows the alert, and Ctrl-C gives back a clean shell prompt', async () => {
    if (!hasTmux) throw new Error('tmux is missing: install the Debian package (apt-get install tmux); .ci/run does.');
    const bin = fakePath(['nvidia-smi']);
    const vars = { PATH: `${bin}:/usr/bin:/bin`, HOME: tempHome(), TERM: 'xterm-256color', ...env(join(dir, 'steps-tmux')) };
    // The variables go on the command line (env …): a tmux server started elsewhere keeps its own environment.
    const envWords = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    expect(tmux('new-session', '-d', '-s', 'mon', '-x', '150', '-y', '30', 'env', '-i', ...envWords, 'sh').exitCode).toBe(0);
    tmux('send-keys', '-t', 'mon', "PS1='test-prompt$ '; clear", 'Enter');
    await expect.poll(screen, { timeout: 10_000 }).toContain('test-prompt$');
    tmux('send-keys', '-t', 'mon', `node ${join(ROOT, 'bin/gpuctl.js')} monitor --interval 300ms`, 'Enter');
    await expect.poll(screen, { timeout: 15_000 }).toContain('ALERT:');
    const first = screen();
    expect(first).toContain('gpuctl monitor');
    expect(first).toContain('every 0.3 s · Ctrl-C to quit');
    expect(first).toMatch(/0 {2}NVIDIA H100 NVL/);
    // Redrawn in place: the title appears once however many samples have been drawn.
    await expect.poll(screen, { timeout: 15_000 }).toMatch(/\] +77%/);
    expect(screen().match(/gpuctl monitor/g)).toHaveLength(1);
    tmux('send-keys', '-t', 'mon', 'C-c');
    await expect.poll(screen, { timeout: 10_000 }).not.toContain('ALERT:');
    tmux('send-keys', '-t', 'mon', 'echo "exit=$?"', 'Enter');
    await expect.poll(screen, { timeout: 10_000 }).toContain('exit=130');
    const after = screen()
      .split('\n')
      .filter((l) => l.trim() !== '');
    // The alternate screen is gone: only the shell's own lines remain, ending at a fresh prompt.
    expect(after.some((l) => l.includes('NVIDIA H100'))).toBe(false);
    expect(after.at(-1)).toBe('test-prompt$');
  });
});
