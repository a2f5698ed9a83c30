/**
 * Fault injection. FAKE_FLYCTL_FAULT is a comma list of fault names; FAKE_FLYCTL_FAULT_ON, when
 * set, is a comma list of canonical command paths ("status", "machine list", "deploy", …) that the
 * faults are limited to. Generic faults act before the command runs; the others are asked for by
 * the commands themselves through `has(name)`.
 */
import { FlyError, Interrupted, deadlineExceeded } from './errors.mjs';

export const FAULTS = [
  'not-logged-in',
  'unauthorized',
  'app-not-found',
  'unhealthy',
  'capacity',
  'hang',
  'garbage-json',
  'truncated-json',
  'deadline',
  'interrupted',
  'echo-token',
  'stale-machine',
];

const list = (value) =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter(Boolean);

export function faultsFor(env, commandPath) {
  const names = list(env.FAKE_FLYCTL_FAULT);
  for (const name of names) {
    if (!FAULTS.includes(name)) {
      throw new FlyError(`fake flyctl: unknown FAKE_FLYCTL_FAULT "${name}"; known faults: ${FAULTS.join(', ')}`);
    }
  }
  const api = env.FAKE_FLYCTL_GPU_API;
  if (api && api !== 'before-retirement') throw new FlyError(`fake flyctl: unknown FAKE_FLYCTL_GPU_API "${api}"; known: before-retirement`);
  const on = list(env.FAKE_FLYCTL_FAULT_ON);
  const active = on.length === 0 || on.includes(commandPath) ? new Set(names) : new Set();
  return { has: (name) => active.has(name), env };
}

/** hang, echo-token, deadline and interrupted: act before the command does anything. */
export async function genericFaults(faults) {
  if (faults.has('hang')) {
    // Sleep until a signal ends the process (Node's default SIGTERM/SIGINT handling exits).
    await new Promise(() => {
      const keepAlive = () => setTimeout(keepAlive, 60_000);
      keepAlive();
    });
  }
  if (faults.has('echo-token')) {
    // The worst a tool can do with a secret: flyctl's debug logging of request headers, and an
    // error that quotes the token back. gpuctl must redact whatever reaches its output or logs.
    // Every token variable gpuctl knows of is dumped too, as a debug print of the environment would.
    const names = ['FLY_ACCESS_TOKEN', 'FLY_API_TOKEN', 'FLY_AUTH_TOKEN'].filter((name) => faults.env[name]);
    const token = faults.env.FLY_ACCESS_TOKEN || faults.env.FLY_API_TOKEN || faults.env.FLY_AUTH_TOKEN || '';
    for (const name of names) process.stderr.write(`DEBUG env ${name}=${faults.env[name]}\n`);
    process.stdout.write(`DEBUG --> POST https://api.fly.io/graphql Authorization: ${token}\n`);
    throw new FlyError(`unauthorized: the token "${token}" was rejected`);
  }
  if (faults.has('deadline')) throw deadlineExceeded();
  if (faults.has('interrupted')) throw new Interrupted();
}

/** garbage-json and truncated-json: what a JSON command prints instead of its document. */
export function corruptJson(faults, text) {
  if (faults.has('garbage-json')) {
    return '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
  }
  if (faults.has('truncated-json')) return text.slice(0, Math.floor(text.length / 2));
  return text;
}
