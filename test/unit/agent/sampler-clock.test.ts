/**
 * The agent's sampler keeps time on the clock it is given (issue 22, Time): the restart backoff, the
 * grace before a garbage line kills nvidia-smi, and the time of each reading. nvidia-smi is a fake
 * stream here: each start is recorded, and the test ends it or feeds it lines.
 */
import { describe, expect, it } from 'vitest';
import { Sampler } from '../../../src/agent/sampler.js';
import type { StreamEnd, StreamHandle } from '../../../src/exec.js';
import type { SmiStreamRequest } from '../../../src/gpu/smi-probe.js';
import { SAMPLE_FIELDS } from '../../../src/gpu/smi-sample.js';
import { fakeClock, settle } from '../../helpers/clock.js';

function fakeStreams() {
  const runs: Array<{ request: SmiStreamRequest; end: (end: StreamEnd) => void; stopped: string[] }> = [];
  // The sampler starts nvidia-smi through streamSmi (ctx.stream), which answers a promise.
  const start = async (request: SmiStreamRequest): Promise<StreamHandle> => {
    let end!: (end: StreamEnd) => void;
    const ended = new Promise<StreamEnd>((resolve) => (end = resolve));
    const run = { request, end, stopped: [] as string[] };
    runs.push(run);
    return {
      pid: 100 + runs.length,
      stop: (reason) => {
        run.stopped.push(reason);
        end({ kind: 'stopped', reason });
      },
      ended,
    };
  };
  return { runs, start };
}

const crash: StreamEnd = { kind: 'exited', exitCode: 9, stderrTail: 'NVIDIA-SMI has failed' };

describe('the sampler on the clock', () => {
  it('restarts a failing nvidia-smi after 1 s, then 2 s, then 4 s of the clock, and not before', async () => {
    const clock = fakeClock();
    const { runs, start } = fakeStreams();
    const log: string[] = [];
    const sampler = new Sampler(start, { file: 'nvidia-smi', intervalMs: 1000, clock, onLog: (m) => log.push(m) });
    sampler.run();
    for (const [n, delay] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ] as const) {
      expect(runs).toHaveLength(n);
      runs[n - 1]!.end(crash);
      await settle();
      expect(sampler.state()).toMatchObject({ phase: 'waiting', restarts: n, failure: { at: clock.now().getTime() } });
      await clock.advance(delay - 1);
      expect(runs).toHaveLength(n);
      await clock.advance(1);
      expect(runs).toHaveLength(n + 1);
    }
    expect(log).toEqual([
      'nvidia-smi exited with code 9: NVIDIA-SMI has failed; restarting in 1 s',
      'nvidia-smi exited with code 9: NVIDIA-SMI has failed; restarting in 2 s',
      'nvidia-smi exited with code 9: NVIDIA-SMI has failed; restarting in 4 s',
    ]);
    await sampler.stop(0);
    expect(clock.pending()).toBe(0);
  });

  it('gives a garbage line 250 ms of the clock before killing nvidia-smi', async () => {
    const clock = fakeClock();
    const { runs, start } = fakeStreams();
    const sampler = new Sampler(start, { file: 'nvidia-smi', intervalMs: 1000, clock });
    sampler.run();
    runs[0]!.request.onLine('this is not a CSV line');
    await clock.advance(249);
    expect(runs[0]!.stopped).toEqual([]);
    await clock.advance(1);
    expect(runs[0]!.stopped).toEqual([
      `nvidia-smi printed a line gpuctl cannot read (1 fields where ${SAMPLE_FIELDS.length} were asked for: "this is not a CSV line"); killed`,
    ]);
    await sampler.stop(0);
  });

  it('stop waits for the loop at most waitMs of the clock', async () => {
    const clock = fakeClock();
    const start = async (): Promise<StreamHandle> => ({ pid: 1, stop: () => undefined, ended: new Promise<StreamEnd>(() => undefined) });
    const sampler = new Sampler(start, { file: 'nvidia-smi', intervalMs: 1000, clock });
    sampler.run();
    await settle(); // the (async) start has answered: nvidia-smi runs, and will not end
    let stopped = false;
    const stopping = sampler.stop(500).then(() => (stopped = true));
    await clock.advance(499);
    expect(stopped).toBe(false);
    await clock.advance(1);
    await stopping;
    expect(sampler.state().phase).toBe('stopped');
  });
});
