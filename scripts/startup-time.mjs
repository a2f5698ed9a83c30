// Measures `gpuctl --version` against `node -e 0` (the floor every Node CLI pays): medians of N
// alternating runs after warm-up. Usage: node scripts/startup-time.mjs [runs=40]. Build first.
import { execaSync } from 'execa';

const runs = Number(process.argv[2] ?? 40);
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'gpuctl --version': [process.execPath, ['bin/gpuctl.js', '--version']],
  'gpuctl --help': [process.execPath, ['bin/gpuctl.js', '--help']],
};
const time = ([file, args]) => {
  const start = process.hrtime.bigint();
  execaSync(file, args, { stdio: 'ignore', timeout: 30_000 }); // throws on a non-zero exit or the timeout
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
for (let i = 0; i < 5; i++) for (const command of Object.values(commands)) time(command);
for (let i = 0; i < runs; i++) for (const [name, command] of Object.entries(commands)) samples[name].push(time(command));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const floor = median(samples['node -e 0']);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(18)} median ${median(xs).toFixed(1).padStart(6)} ms  (${(median(xs) / floor).toFixed(2)}x node -e 0)`);
}
console.log(`node ${process.version}, ${runs} runs each, ${new Date().toISOString()}`);
