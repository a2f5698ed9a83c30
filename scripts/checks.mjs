#!/usr/bin/env node
/**
 * `npm test`'s static checks at once: `node scripts/checks.mjs typecheck lint format:check format:native` runs
 * those npm scripts side by side and prints each one's output as a block when it ends (never interleaved), with
 * its time; exit 1 when any failed, after all have ended (so one failure does not hide another). They only read
 * the sources. Not the build: it writes dist.PID.tmp/ beside dist/, which eslint and prettier would walk into
 * while it is renamed away (eslint then exits 2), so `npm test` builds after them. Figures: .ci/times.md.
 */
import { execa } from 'execa';

const steps = process.argv.slice(2);
if (steps.length === 0) {
  console.error('usage: node scripts/checks.mjs NPM_SCRIPT...   e.g. node scripts/checks.mjs typecheck lint');
  process.exit(2);
}
const npm = process.env.npm_execpath;
/** Every step is bounded: ten minutes is ten times the slowest one on 2 cores. */
const TIMEOUT_MS = 10 * 60_000;

/** Each step's process group, so that a timeout or a Ctrl-C ends the tools npm started too. */
const groups = new Set();
process.on('exit', () => {
  for (const pid of groups) kill(pid, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of groups) kill(pid, signal);
    groups.clear();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
function kill(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Runs one npm script; its output (stdout and stderr in order) with the exit code and seconds taken. */
async function run(step) {
  const started = process.hrtime.bigint();
  // npm's own CLI through the node running this script when npm started it; else npm on PATH.
  const [command, args] = npm ? [process.execPath, [npm, 'run', '-s', step]] : ['npm', ['run', '-s', step]];
  // A process group of its own (detached): the timeout and a Ctrl-C end the tools npm started, not npm alone.
  const child = execa(command, args, { stdin: 'ignore', all: true, reject: false, detached: true, cleanup: false });
  groups.add(child.pid);
  let why = '';
  const timer = setTimeout(() => {
    why = `stopped after ${TIMEOUT_MS / 60_000} min`;
    kill(child.pid, 'SIGKILL');
  }, TIMEOUT_MS);
  const result = await child;
  clearTimeout(timer);
  groups.delete(child.pid);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const reason = result.signal ? `ended by ${result.signal}` : result.failed && result.exitCode === undefined ? result.shortMessage : '';
  return { step, code: result.exitCode ?? 1, why: why || reason, output: result.all ?? '', seconds };
}

const results = await Promise.all(
  steps.map((step) =>
    run(step).then((result) => {
      const verdict = result.code === 0 ? 'ok' : `FAILED (exit ${result.code}${result.why ? `, ${result.why}` : ''})`;
      process.stdout.write(
        `── npm run ${step}: ${verdict}, ${result.seconds.toFixed(1)} s\n${result.output}${result.output && !result.output.endsWith('\n') ? '\n' : ''}`,
      );
      return result;
    }),
  ),
);
const failed = results.filter((r) => r.code !== 0).map((r) => r.step);
if (failed.length > 0) {
  console.error(`checks: ${failed.join(', ')} failed`);
  process.exit(1);
}
