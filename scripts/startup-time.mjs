// Measures gpuctl's start-up against `node -e 0` (the floor every Node CLI pays): medians of N
// alternating runs after warm-up, for --version, --help, `validate` of a small project (what `init`
// writes) and `detect` on this machine without a GPU (nvidia-smi taken off PATH: the host facts path).
// Usage: node scripts/startup-time.mjs [runs=40]. Build first. Prints the load average too: figures
// from a loaded machine are indicative (every command pays the same contention).
import { execaSync } from 'execa';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const runs = Number(process.argv[2] ?? 40);
const project = mkdtempSync(join(tmpdir(), 'gpuctl-startup-'));
execaSync(process.execPath, ['bin/gpuctl.js', 'init', '--yes', '--dir', project], { stdio: 'ignore', timeout: 30_000 });
writeFileSync(join(project, 'requirements.txt'), '');
writeFileSync(join(project, 'app.py'), 'print("serving")\n');
const withoutGpu = {
  ...process.env,
  PATH: (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !existsSync(join(dir, 'nvidia-smi')))
    .join(delimiter),
};
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'gpuctl --version': [process.execPath, ['bin/gpuctl.js', '--version']],
  'gpuctl --help': [process.execPath, ['bin/gpuctl.js', '--help']],
  'gpuctl validate': [process.execPath, ['bin/gpuctl.js', 'validate', '-c', join(project, 'fly.toml')]],
  'gpuctl detect': [process.execPath, ['bin/gpuctl.js', 'detect'], withoutGpu],
};
const time = ([file, args, env]) => {
  const start = process.hrtime.bigint();
  execaSync(file, args, { stdio: 'ignore', timeout: 30_000, env, extendEnv: env === undefined }); // throws on a non-zero exit or the timeout
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
const loadBefore = loadavg()[0];
for (let i = 0; i < 5; i++) for (const command of Object.values(commands)) time(command);
for (let i = 0; i < runs; i++) for (const [name, command] of Object.entries(commands)) samples[name].push(time(command));
rmSync(project, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(samples['node -e 0']);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(18)} median ${median(xs).toFixed(1).padStart(6)} ms  (${(median(xs) / floor).toFixed(2)}x node -e 0)`);
}
console.log(
  `node ${process.version}, ${runs} runs each, ${new Date().toISOString()}, load average ${loadBefore.toFixed(2)} before / ${loadavg()[0].toFixed(2)} after`,
);
