/**
 * podman as smoke's unit tests see it, faked at ctx.exec: `info`, `build` and `image` answer, `run` starts container
 * c0ffee, `port` maps to a loopback server of the test's, `exec` lists the container's processes (smoke's user
 * check), `kill` stops it (after which `inspect` reads it exited with `exitCode`), and the clean-up calls succeed.
 */
import type { ExecRequest } from '../../src/exec.js';
import type { SmokeDeps } from '../../src/smoke/run.js';
import { exited, type ExecRule } from './ctx.js';

/** smoke's other effects, quiet: no diag verdict, no progress or notices on screen, no GPU, no loadtest; `over` replaces any. */
export function quietSmokeDeps(over: Partial<SmokeDeps> = {}): SmokeDeps {
  return {
    readVerdict: () => null,
    progress: () => undefined,
    notice: () => undefined,
    hasGpu: async () => false,
    loadtest: undefined,
    ...over,
  };
}

export interface FakeSmokeEngine {
  /** The image's CMD, as `podman image inspect` prints it after the size. */
  cmd: string;
  /** The host address `podman port` prints for a request (e.g. only for one container port). */
  port: (r: ExecRequest) => string;
  /** The `user command` lines the process listing prints. */
  processes: string;
  /** The container's exit code once killed. */
  exitCode?: number;
}

export function fakeSmokeEngine(o: FakeSmokeEngine): ExecRule[] {
  let stopped = false;
  const on = (sub: string, result: (r: ExecRequest) => ReturnType<typeof exited>): ExecRule => ({
    match: (r: ExecRequest) => r.args[0] === sub,
    result,
  });
  return [
    on('info', () => exited('{}')),
    on('build', () => exited('')),
    on('image', () => exited(`12 ${o.cmd}\n`)),
    on('run', () => exited('c0ffee\n')),
    on('port', (r) => exited(o.port(r) ? `${o.port(r)}\n` : '')),
    on('exec', (r) => exited(r.args.at(-1)!.startsWith('for d') ? `${o.processes}\n` : '')),
    on('kill', () => ((stopped = true), exited(''))),
    on('inspect', () => exited(stopped ? `false ${o.exitCode ?? 130}\n` : 'true 0\n')),
    on('logs', () => exited('')),
    on('rm', () => exited('')),
    on('rmi', () => exited('')),
  ];
}
