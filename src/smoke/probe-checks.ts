/**
 * The result of one fly.toml check (fly-checks.ts) as a smoke check: a title that names what was probed, and
 * evidence that says how (method, path, port, headers with secret values redacted, what TLS verified, the
 * timeout and grace period applied) and where smoke differs from Fly. Pure.
 */
import { check, type SmokeCheck } from './checks.js';
import type { HttpProbe, Probe } from './fly-checks.js';

/** Header names whose values are credentials: never printed. */
const SECRET_NAME = /auth|token|secret|key|pass|cookie|session|credential|signature|csrf|xsrf/i;
/** Values that carry a credential whatever their header's name. */
const SECRET_VALUE = /^(bearer|basic|digest|token|negotiate)\s/i;

export function headerShown(name: string, value: string): string {
  return `${name}: ${SECRET_NAME.test(name) || SECRET_VALUE.test(value.trim()) ? '(redacted)' : value}`;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** What was asked for: "/health" (a GET), "POST /ready", "port 8080". */
export function probeTarget(p: Probe): string {
  return p.kind === 'tcp' ? `port ${p.port}` : p.method === 'GET' ? p.path : `${p.method} ${p.path}`;
}

export function probeTitle(p: Probe): string {
  const what = p.kind === 'tcp' ? `tcp :${p.port}` : probeTarget(p);
  return p.topLevel ? `${p.source} ${what}` : `application ${what}`;
}

/** What TLS checked: the certificate, against which name, or nothing (tls_skip_verify). */
function tlsSaid(p: HttpProbe): string {
  if (p.protocol !== 'https') return '';
  if (p.tlsSkipVerify) return ', https: certificate not verified (tls_skip_verify)';
  return p.tlsServerName !== null
    ? `, https: certificate verified against this machine's CAs for ${JSON.stringify(p.tlsServerName)} (tls_server_name)`
    : ", https: certificate verified against this machine's CAs for 127.0.0.1 (Fly checks it against the Machine's private address; set tls_server_name or tls_skip_verify)";
}

/** How the check was run: the request, its headers, TLS, the bounds, and what smoke does not reproduce. */
export function probeHow(p: Probe): string {
  const bounds = `timeout ${seconds(p.timeoutMs)}${p.timeoutSet ? '' : " (smoke's; fly.toml names none)"}${
    p.gracePeriodMs !== null ? `, grace_period ${seconds(p.gracePeriodMs)}` : ''
  }, interval ${seconds(p.intervalMs)}${p.intervalSet ? '' : " (smoke's; fly.toml names none)"}`;
  if (p.kind === 'tcp') {
    const why = p.implied ? `; ${p.source} has no check: Fly runs none, smoke checks the port accepts connections` : '';
    return `tcp connect to ${p.port} (${p.source}), ${bounds}; through the engine's port mapping, not Fly's proxy${why}`;
  }
  const headers = Object.entries(p.headers).map(([k, v]) => headerShown(k, v));
  return `${p.method} ${p.protocol}://:${p.port}${p.path} (${p.source})${headers.length ? `, headers ${headers.join(', ')}` : ''}${tlsSaid(p)}, ${bounds}; redirects not followed, 2xx passes (as Fly)`;
}

/**
 * Passed `afterMs` from the container's start. `early`: inside the check's grace_period, where Fly would not have tried
 * yet (smoke tries every second until it ends).
 */
export function probePassed(p: Probe, said: string, afterMs: number, early = false): SmokeCheck {
  const note =
    early && p.gracePeriodMs !== null ? ` (inside its grace_period ${seconds(p.gracePeriodMs)}: Fly's first try comes then)` : '';
  return check(p.topLevel ? 'top-check' : 'app-health', probeTitle(p), 'pass', `${said} after ${seconds(afterMs)}${note}: ${probeHow(p)}`);
}

/**
 * The check never passed: the container exited first (its code), or nothing passed within the wait; `last` is the last
 * attempt's answer, null when the container exited before the first (during the grace_period).
 */
export function probeFailed(p: Probe, o: { exited: number | null; last: string | null; waitMs: number }): SmokeCheck {
  const why =
    o.exited !== null
      ? `the container exited (code ${o.exited}) before ${probeTarget(p)} answered`
      : `${p.kind === 'tcp' ? 'no connection held' : 'no 2xx'} within ${seconds(o.waitMs)}${
          p.gracePeriodMs !== null && p.gracePeriodMs > o.waitMs
            ? ` (shorter than its grace_period ${seconds(p.gracePeriodMs)}: raise --wait-timeout)`
            : ''
        }`;
  const last = o.last ?? `not tried yet (grace_period ${seconds(p.gracePeriodMs ?? 0)})`;
  return check(p.topLevel ? 'top-check' : 'app-health', probeTitle(p), 'fail', `${why}; last: ${last}; ${probeHow(p)}`);
}
