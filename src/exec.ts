/**
 * The only place gpuctl starts a process. Every call has a timeout, takes an argument array
 * (never a shell string), and reports its outcome as a value: adapters decide what it means.
 * Every child runs in its own process group, and the whole group is ended (see liveGroups).
 */
import { execa } from 'execa';
import { realClock } from './shared/clock.js';
import { lineSplitter } from './shared/line-splitter.js';
import { descendantsOutsideGroup } from './shared/process-tree.js';

export interface ExecRequest {
  file: string;
  args: readonly string[];
  timeoutMs: number;
  /** Written to stdin, which is then closed. Without it, stdin is not connected. */
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Aborting ends the child's whole process group (SIGTERM, then SIGKILL after 2 s). */
  signal?: AbortSignal;
  /** Aborting first ends only what runs below the child outside its group (a RUN step under `podman build`), each as it
   * starts, so the child fails and cleans up after itself; its group is ended if it still runs after this many ms. */
  abortGraceMs?: number;
  /** Called for every complete line as it arrives (for progress); output is still collected. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export type ExecResult =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string; durationMs: number }
  | { kind: 'not-found'; file: string }
  | { kind: 'timeout'; timeoutMs: number; stdout: string; stderr: string }
  /** exitedItself: with abortGraceMs, the child exited within it (its clean-up done), not ended by gpuctl. */
  | { kind: 'interrupted'; stdout: string; stderr: string; exitedItself?: boolean }
  | { kind: 'spawn-failed'; message: string }
  | { kind: 'signaled'; signal: string; stdout: string; stderr: string };

export type Exec = (request: ExecRequest) => Promise<ExecResult>;

/** True while a process with this id exists (EPERM: it does, under another user). The agent's --with-pid watch. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Process groups gpuctl started that may still have members. Every child is the leader of its own group
 * (detached), so a tool's own children (`sleep &`, make's nvcc, a wrapper's real binary) are ended with it:
 * on timeout, on abort (Ctrl-C, SIGTERM), when the tool itself exits (what it left behind would hold its
 * pipes open), and when gpuctl exits, whatever the way (a second Ctrl-C's `process.exit` included).
 */
const liveGroups = new Set<number>();

/** Signals a process, or with a negative id a group; false when it is already gone. */
function send(target: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(target, signal);
  } catch {
    return false;
  }
}
const signalGroup = (pgid: number, signal: NodeJS.Signals) => send(-pgid, signal);

function track(pgid: number | undefined): void {
  if (pgid === undefined) return;
  installExitHook();
  liveGroups.add(pgid);
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
    for (const pid of strays) signalPid(pid, 'SIGKILL');
  });
}

/**
 * Processes below a child that left its group for a session of their own (a container's process under
 * runc, started by `podman build`: when podman is stopped it leaves that process running). They are
 * found through /proc's parent links while the child still lives (Linux; elsewhere none), and ended with
 * the group: SIGTERM, then SIGKILL (which a container's init, PID 1 of its namespace, cannot ignore).
 */
const strays = new Set<number>();

function signalPid(pid: number, signal: NodeJS.Signals): void {
  if (!send(pid, signal)) strays.delete(pid); // already gone
}

/** Ends a group: SIGTERM now, SIGKILL after graceMs (or at gpuctl's exit, if that comes first). */
function endGroup(pgid: number | undefined, graceMs: number): void {
  if (pgid === undefined) return;
  if (!signalGroup(pgid, 'SIGTERM')) {
    liveGroups.delete(pgid);
    return;
  }
  realClock.after(graceMs, () => {
    signalGroup(pgid, 'SIGKILL');
    liveGroups.delete(pgid);
  });
}

/**
 * Ends a child's process group at the timeout (counted from the start) or on abort (after abortGraceMs of ending only
 * the processes below it outside its group, when given); says which happened, and whether the group had to be ended.
 */
function groupKiller(request: ExecRequest, pid: number | undefined) {
  let reason: 'timeout' | 'interrupted' | null = null;
  let forced = false;
  let stopSweep = () => {};
  const signalled = new Set<number>();
  const endStrays = () => {
    for (const stray of pid === undefined ? [] : descendantsOutsideGroup(pid)) {
      if (signalled.has(stray)) continue;
      signalled.add(stray);
      strays.add(stray);
      signalPid(stray, 'SIGTERM');
      realClock.after(2000, () => signalPid(stray, 'SIGKILL'));
    }
  };
  const kill = (why: 'timeout' | 'interrupted') => {
    reason ??= why;
    forced = true;
    stopSweep();
    endStrays();
    endGroup(pid, 2000);
  };
  const cancelTimeout = realClock.after(request.timeoutMs, () => kill('timeout'));
  const onAbort = () => {
    if (request.abortGraceMs === undefined) return kill('interrupted');
    reason ??= 'interrupted';
    endStrays();
    const sweep = realClock.every(250, endStrays);
    const grace = realClock.after(request.abortGraceMs, () => kill('interrupted'));
    stopSweep = () => (sweep(), grace());
  };
  if (request.signal?.aborted) onAbort();
  else request.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    disarm() {
      cancelTimeout();
      stopSweep();
      request.signal?.removeEventListener('abort', onAbort);
    },
    reason: () => reason,
    forced: () => forced,
  };
}

export const execTool: Exec = async (request) => {
  const started = realClock.monotonic();
  const child = execa(request.file, [...request.args], {
    reject: false,
    detached: true,
    stripFinalNewline: false,
    ...(request.input === undefined ? { stdin: 'ignore' as const } : { input: request.input }),
    env: request.env,
    extendEnv: request.env === undefined,
    cwd: request.cwd,
  });
  track(child.pid);
  const group = groupKiller(request, child.pid);
  // The tool is done (its exit is the outcome, whatever the clock says next): whatever it left in its
  // group would keep stdout open and gpuctl waiting, so the group is ended now.
  child.on('exit', () => {
    group.disarm();
    endGroup(child.pid, 2000);
  });
  for (const stream of request.onLine ? (['stdout', 'stderr'] as const) : [])
    child[stream]?.on(
      'data',
      lineSplitter((line) => request.onLine?.(line, stream)),
    );
  const result = await child;
  group.disarm();
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const cause = result.cause as NodeJS.ErrnoException | undefined;
  if (cause?.code === 'ENOENT' && result.exitCode === undefined) return { kind: 'not-found', file: request.file };
  if (group.reason() === 'timeout') return { kind: 'timeout', timeoutMs: request.timeoutMs, stdout, stderr };
  if (group.reason() === 'interrupted')
    return { kind: 'interrupted', stdout, stderr, ...(request.abortGraceMs !== undefined ? { exitedItself: !group.forced() } : {}) };
  if (result.exitCode !== undefined) {
    return { kind: 'exited', exitCode: result.exitCode, stdout, stderr, durationMs: realClock.monotonic() - started };
  }
  if (result.signal) return { kind: 'signaled', signal: result.signal, stdout, stderr };
  return { kind: 'spawn-failed', message: cause?.message ?? result.shortMessage ?? 'unknown error' };
};

export interface StreamRequest {
  file: string;
  args: readonly string[];
  env?: Record<string, string | undefined>;
  /** A long-running tool must keep talking: no complete stdout line for this long kills it ('silent'). */
  silenceTimeoutMs: number;
  /** A longer allowance for the first line (start-up). Defaults to silenceTimeoutMs. */
  firstLineTimeoutMs?: number;
  /** Every complete stdout line, as it arrives. Nothing is kept: memory stays bounded however long it runs. */
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

export type StreamEnd =
  | { kind: 'exited'; exitCode: number; stderrTail: string }
  | { kind: 'signaled'; signal: string; stderrTail: string }
  | { kind: 'not-found'; file: string }
  | { kind: 'silent'; silenceMs: number; stderrTail: string }
  | { kind: 'stopped'; reason: string }
  | { kind: 'spawn-failed'; message: string };

export interface StreamHandle {
  readonly pid: number | undefined;
  /** Kills the whole process group (SIGTERM, SIGKILL after 1 s); `ended` then says 'stopped' with the reason. */
  stop(reason: string): void;
  readonly ended: Promise<StreamEnd>;
}

const STDERR_TAIL = 2048;

/**
 * Starts a long-running tool (e.g. `nvidia-smi -lms 5000`) in its own process group and hands each
 * stdout line to onLine. Its limit is silence, not total time: a tool that stops printing is killed.
 */
export function startStream(request: StreamRequest): StreamHandle {
  let stopReason: string | null = null;
  let silentFor: number | null = null;
  let stderrTail = '';
  const child = execa(request.file, [...request.args], {
    reject: false,
    detached: true,
    buffer: false,
    stdin: 'ignore',
    env: request.env,
    extendEnv: request.env === undefined,
  });
  track(child.pid);
  const kill = () => endGroup(child.pid, 1000);
  // The tool ended: what it left in its group goes with it.
  child.on('exit', kill);
  let disarm: (() => void) | undefined;
  const arm = (ms: number) => {
    disarm?.();
    disarm = realClock.after(ms, () => {
      silentFor = ms;
      kill();
    });
  };
  arm(request.firstLineTimeoutMs ?? request.silenceTimeoutMs);
  const MAX_LINE = 64 * 1024;
  const splitter = lineSplitter((line) => {
    if (stopReason !== null || silentFor !== null) return;
    arm(request.silenceTimeoutMs);
    request.onLine(line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);
  });
  child.stdout?.on('data', splitter);
  let partial = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    // A tool that prints without newlines must not grow memory: an over-long line is cut and handed on.
    const newline = chunk.lastIndexOf(10);
    partial = newline === -1 ? partial + chunk.length : chunk.length - newline - 1;
    if (partial > MAX_LINE) {
      partial = 0;
      splitter('\n');
    }
  });

  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL);
  });
  const onAbort = () => handle.stop('interrupted');
  const handle: StreamHandle = {
    pid: child.pid,
    stop(reason) {
      if (stopReason !== null) return;
      stopReason = reason;
      kill();
    },
    ended: (async (): Promise<StreamEnd> => {
      const result = await child;
      disarm?.();
      request.signal?.removeEventListener('abort', onAbort);
      const cause = result.cause as NodeJS.ErrnoException | undefined;
      if (cause?.code === 'ENOENT' && result.exitCode === undefined) return { kind: 'not-found', file: request.file };
      if (stopReason !== null) return { kind: 'stopped', reason: stopReason };
      if (silentFor !== null) return { kind: 'silent', silenceMs: silentFor, stderrTail };
      if (result.exitCode !== undefined) return { kind: 'exited', exitCode: result.exitCode, stderrTail };
      if (result.signal) return { kind: 'signaled', signal: result.signal, stderrTail };
      return { kind: 'spawn-failed', message: cause?.message ?? result.shortMessage ?? 'unknown error' };
    })(),
  };
  if (request.signal?.aborted) handle.stop('interrupted');
  else request.signal?.addEventListener('abort', onAbort, { once: true });
  return handle;
}
