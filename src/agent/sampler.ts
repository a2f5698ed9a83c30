/**
 * The background sampler: one long-running `nvidia-smi --query-gpu=… -lms N`, whose lines update the
 * latest sample per GPU (memory bounded by the GPU count, however long it runs). A sampler that dies,
 * goes silent for three intervals or prints garbage is killed and restarted with backoff; its state
 * says what went wrong meanwhile. Requests read `state()`; they never wait on nvidia-smi.
 */
import type { StreamEnd, StreamHandle } from '../exec.js';
import { dropField, invalidField } from '../gpu/nvidia-smi.js';
import { smiNotThere, type SmiStreamRequest } from '../gpu/smi-probe.js';
import type { Clock } from '../shared/clock.js';
import { parseSampleLine, REQUIRED_FIELDS, SAMPLE_FIELDS, sampleArgs, type GpuSample } from '../gpu/smi-sample.js';
import { saneSample } from './sane.js';

/** Starts the streaming nvidia-smi: gpu/smi-probe.ts `streamSmi` (ctx.stream), a fake in tests. */
export type StartStream = (request: SmiStreamRequest) => Promise<StreamHandle>;

export interface SamplerOptions {
  /** The nvidia-smi it runs (smiBinary), for its messages. */
  file: string;
  /** It came from GPUCTL_NVIDIA_SMI (smiConfigured): not there is then a failure /gpu-health names, not the CPU fallback. */
  configured?: boolean;
  intervalMs: number;
  env?: Record<string, string | undefined>;
  /** First restart delay; doubles per consecutive failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** The context's clock: sample times, the garbage grace, the restart backoff. */
  clock: Clock;
  onLog?: (message: string) => void;
}

export interface GpuReading {
  sample: GpuSample;
  /** When this GPU's line last arrived (ms since epoch). */
  at: number;
}

export interface SamplerState {
  /** absent: nvidia-smi is not installed (the CPU layout); running: a process is up; waiting: between restarts. */
  phase: 'starting' | 'running' | 'waiting' | 'absent' | 'stopped';
  intervalMs: number;
  gpus: ReadonlyMap<string, GpuReading>;
  lastSampleAt: number | null;
  restarts: number;
  /** The last failure, kept until a good line arrives after it. */
  failure: { at: number; message: string } | null;
  /** Fields the driver rejected (old drivers), dropped from the query. */
  droppedFields: readonly string[];
  /** Samples that carried an impossible reading (dropped, see sane.ts). */
  badSamples: number;
}

export function describeEnd(end: StreamEnd, file: string): string {
  switch (end.kind) {
    case 'exited':
      return `nvidia-smi exited with code ${end.exitCode}${end.stderrTail.trim() ? `: ${end.stderrTail.trim().split('\n')[0]}` : ''}`;
    case 'signaled':
      return `nvidia-smi was killed by ${end.signal}`;
    case 'not-found':
      return `${file} was not found`;
    case 'silent':
      return `nvidia-smi printed nothing for ${end.silenceMs / 1000} s (hung); killed`;
    case 'stopped':
      return end.reason;
    case 'spawn-failed':
      return `nvidia-smi could not start: ${end.message}`;
  }
}

export class Sampler {
  private readonly gpus = new Map<string, GpuReading>();
  private fields: string[] = [...SAMPLE_FIELDS];
  private readonly dropped: string[] = [];
  private phase: SamplerState['phase'] = 'starting';
  private lastSampleAt: number | null = null;
  private restarts = 0;
  private badSamples = 0;
  private failure: SamplerState['failure'] = null;
  private current: StreamHandle | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly start: StartStream,
    private readonly options: SamplerOptions,
  ) {}

  private now(): number {
    return this.options.clock.now().getTime();
  }

  state(): SamplerState {
    return {
      phase: this.phase,
      intervalMs: this.options.intervalMs,
      gpus: this.gpus,
      lastSampleAt: this.lastSampleAt,
      restarts: this.restarts,
      failure: this.failure,
      droppedFields: this.dropped,
      badSamples: this.badSamples,
    };
  }

  run(): void {
    this.loop ??= this.supervise();
  }

  /** Kills nvidia-smi and waits for the loop, at most waitMs (the child's group still gets SIGKILL later). */
  async stop(waitMs = 500): Promise<void> {
    this.stopping = true;
    this.phase = 'stopped';
    this.current?.stop('agent stopping');
    this.wake?.();
    let cancel: (() => void) | undefined;
    await Promise.race([this.loop, new Promise<void>((resolve) => (cancel = this.options.clock.after(waitMs, resolve)))]);
    cancel?.();
  }

  private async supervise(): Promise<void> {
    const { intervalMs } = this.options;
    let consecutive = 0;
    while (!this.stopping) {
      let rejected: string | undefined;
      let firstGoodAt: number | null = null;
      let lastGoodAt: number | null = null;
      let badLine: string | undefined;
      let cancelGarbage: (() => void) | undefined;
      let handle: StreamHandle | undefined = undefined;
      let stopFirst: string | undefined;
      // A line may ask for a stop before start() has answered: it happens as soon as it has.
      const stop = (reason: string) => (handle ? handle.stop(reason) : void (stopFirst ??= reason));
      handle = await this.start({
        args: sampleArgs(this.fields, intervalMs),
        env: this.options.env,
        silenceTimeoutMs: 3 * intervalMs,
        firstLineTimeoutMs: Math.max(3 * intervalMs, 10_000),
        onLine: (line) => {
          if (line.trim() === '') return;
          const unknown = invalidField(line);
          if (unknown !== undefined) {
            rejected = unknown;
            stop(`nvidia-smi does not know the field "${unknown}"`);
            return;
          }
          if (badLine !== undefined) return;
          const parsed = parseSampleLine(line, this.fields);
          if (!parsed.ok) {
            // A driver error is printed on stdout just before nvidia-smi exits: give it a moment to say so.
            badLine = line.trim();
            cancelGarbage = this.options.clock.after(250, () =>
              stop(`nvidia-smi printed a line gpuctl cannot read (${parsed.reason}); killed`),
            );
            return;
          }
          const at = this.now();
          firstGoodAt ??= at;
          lastGoodAt = at;
          const { sample, dropped } = saneSample(parsed.sample);
          if (dropped.length > 0) {
            this.badSamples += 1;
            // The first, then every 100th: a driver stuck on one bad value must not flood the log.
            if (this.badSamples % 100 === 1)
              this.options.onLog?.(
                `GPU ${sample.index}: impossible readings dropped (${dropped.join(', ')}); ${this.badSamples} bad sample(s) so far`,
              );
          }
          this.gpus.set(sample.uuid, { sample, at });
          this.lastSampleAt = at;
          this.failure = null;
        },
      });
      if (this.stopping) {
        // stop() came while the start was pending: this run ends here, and the loop with it.
        cancelGarbage?.();
        handle.stop('agent stopping');
        break;
      }
      if (stopFirst !== undefined) handle.stop(stopFirst);
      this.current = handle;
      this.phase = 'running';
      const end = await handle.ended;
      cancelGarbage?.();
      this.current = undefined;
      if (this.stopping) break;
      if (end.kind === 'not-found' && this.gpus.size === 0 && !this.options.configured) {
        this.phase = 'absent';
        this.options.onLog?.(`${this.options.file} not found: no GPU to sample (CPU fallback)`);
        return;
      }
      if (end.kind === 'exited') rejected ??= invalidField(end.stderrTail);
      const fewer = dropField(rejected, this.fields, REQUIRED_FIELDS);
      if (rejected !== undefined && fewer) {
        this.fields = fewer;
        this.dropped.push(rejected);
        this.options.onLog?.(`nvidia-smi does not know "${rejected}" (old driver); sampling without it`);
        continue;
      }
      const message =
        end.kind === 'exited' && badLine !== undefined
          ? `nvidia-smi exited with code ${end.exitCode}: ${badLine.slice(0, 160)}`
          : end.kind === 'not-found' && this.options.configured
            ? smiNotThere(this.options.file)
            : describeEnd(end, this.options.file);
      this.failure = { at: this.now(), message };
      this.restarts += 1;
      const ranWell = firstGoodAt !== null && lastGoodAt !== null && lastGoodAt - firstGoodAt >= 3 * intervalMs;
      consecutive = ranWell ? 1 : consecutive + 1;
      const delay = Math.min((this.options.backoffMs ?? 1000) * 2 ** (consecutive - 1), this.options.maxBackoffMs ?? 30_000);
      this.options.onLog?.(`${message}; restarting in ${delay / 1000} s`);
      this.phase = 'waiting';
      await new Promise<void>((resolve) => {
        const cancel = this.options.clock.after(delay, resolve);
        this.wake = () => {
          cancel();
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
