/**
 * The fake's world: one `state.json` in the directory named by FAKE_FLYCTL_STATE. Reads never
 * lock (writes are atomic: temp file + rename in the same directory); a command that changes state
 * holds `<dir>/.lock` (an exclusive mkdir) from load to save, so concurrent invocations on one
 * directory serialise and tests with different directories never touch each other.
 *
 * Time is deterministic: every call to `tick()` returns FAKE_FLYCTL_NOW (else the state's `now`,
 * else 2026-11-22T12:00:00Z) plus one second per operation ever performed in this state directory.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlyError } from './errors.mjs';

export const DEFAULT_NOW = '2026-11-22T12:00:00Z';
export const STATE_VERSION = 1;
const LOCK_WAIT_MS = 15_000;

export function emptyState() {
  return {
    version: STATE_VERSION,
    tick: 0,
    counter: 0,
    orgs: [{ slug: 'personal', name: 'Personal', type: 'PERSONAL', paidPlan: false }],
    apps: {},
  };
}

export function stateDirFrom(env) {
  const dir = env.FAKE_FLYCTL_STATE;
  if (!dir) {
    throw new FlyError(
      'fake flyctl: FAKE_FLYCTL_STATE is not set; it must name the directory holding state.json (see test/fakes/flyctl/README.md)',
    );
  }
  return dir;
}

/** FAKE_FLYCTL_NOW, else the `now` a seed stored in the state, else 2026-11-22T12:00:00Z. */
export function baseTime(env, state) {
  const raw = env.FAKE_FLYCTL_NOW || state?.now || DEFAULT_NOW;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new FlyError(`fake flyctl: FAKE_FLYCTL_NOW is not an RFC3339 time: ${raw}`);
  return ms;
}

export function loadState(dir) {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return emptyState();
  let state;
  try {
    state = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FlyError(`fake flyctl: ${file} is not valid JSON: ${error.message}`);
  }
  if (state?.version !== STATE_VERSION || typeof state.apps !== 'object') {
    throw new FlyError(`fake flyctl: ${file} is not a version ${STATE_VERSION} fake flyctl state`);
  }
  return state;
}

export function saveState(dir, state) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'state.json');
  const temp = join(dir, `.state.json.${process.pid}.tmp`);
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, file);
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function lockIsStale(lock) {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (!pid) return false;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/** Runs fn(state) holding the directory's lock; saves the state fn leaves behind unless it throws. */
export function withState(dir, fn) {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new FlyError(`fake flyctl: timed out waiting for ${lock}`);
      else sleepSync(10);
    }
  }
  try {
    const state = loadState(dir);
    const result = fn(state);
    saveState(dir, state);
    return result;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The clock and counters of one invocation, over a loaded state. */
export function world(state, env) {
  const base = baseTime(env, state);
  return {
    state,
    /** Milliseconds since the epoch for the next operation; advances one second per call. */
    tick() {
      state.tick = (state.tick ?? 0) + 1;
      return base + (state.tick - 1) * 1000;
    },
    /** The next value of the id counter. */
    next() {
      state.counter = (state.counter ?? 0) + 1;
      return state.counter;
    },
  };
}

export const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
