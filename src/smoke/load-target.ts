/**
 * What `gpuctl smoke --loadtest` requests: the path --path names; else the path of the application service's first
 * HTTP check that a GET can stand for (method GET or HEAD, protocol http: the load run sends plain GETs); else
 * /health, the path `gpuctl init`'s application serves, said to be smoke's guess. The result says where the path came
 * from, in the loadtest row and in --json. Pure.
 */
import type { HttpProbe, Probe } from './fly-checks.js';

export interface LoadTarget {
  path: string;
  /** Where the path came from: "--path", "[[http_service.checks]]", or "smoke's default …". */
  from: string;
}

export function loadTarget(probes: readonly Probe[], port: number, path: string | undefined): LoadTarget {
  if (path !== undefined) return { path, from: '--path' };
  const check = probes.find(
    (p): p is HttpProbe =>
      p.kind === 'http' && !p.topLevel && p.port === port && p.protocol === 'http' && ['GET', 'HEAD'].includes(p.method),
  );
  return check
    ? { path: check.path, from: check.source }
    : { path: '/health', from: `smoke's default: the service on ${port} has no GET http check to take a path from` };
}
