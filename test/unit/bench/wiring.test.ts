/** argv → BenchOptions through commander, separately from what `bench` does with them. */
import { describe, expect, it } from 'vitest';
import type { CommandSpec, RawInput } from '../../../src/commands/define.js';
import { registry } from '../../../src/commands/index.js';
import { buildProgram } from '../../../src/program.js';
import { UsageError } from '../../../src/errors.js';
import type { BenchOptions } from '../../../src/bench/options.js';

async function parse(argv: string[]): Promise<BenchOptions> {
  let seen: unknown;
  const program = buildProgram(registry, async (spec: CommandSpec<unknown>, raw: RawInput) => {
    seen = spec.parse ? spec.parse(raw) : raw;
  }, { writeOut: () => undefined, writeErr: () => undefined });
  await program.parseAsync(argv, { from: 'user' });
  return seen as BenchOptions;
}

describe('gpuctl bench wiring', () => {
  it('is registered after doctor', () => {
    const names = registry.map((spec) => spec.name);
    expect(names.indexOf('bench')).toBe(names.indexOf('doctor') + 1);
  });

  it('collects repeatable and comma lists', async () => {
    const options = await parse(['bench', '--suite', 'memory', '--suite', 'finance,memory', '--kernel', 'sma,ema', '--size', 'n=1024', '--size', 'paths=1e6']);
    expect(options.suites).toEqual(['memory', 'finance']);
    expect(options.kernels).toEqual(['sma', 'ema']);
    expect(options.sizes).toEqual([['n', 1024], ['paths', 1_000_000]]);
  });

  it('reads every flag', async () => {
    const options = await parse(['--json', 'bench', '--quick', '--repeat', '9', '--cpu', '--out', 'r.json', '--force', '--baseline', 'b.json', '--max-regression', '4%']);
    expect(options).toMatchObject({ action: 'run', quick: true, repeat: 9, cpu: true, out: 'r.json', force: true, baseline: 'b.json', maxRegressionPct: 4 });
  });

  it('--list and --build-only --arch', async () => {
    expect((await parse(['bench', '--list'])).action).toBe('list');
    expect(await parse(['bench', '--build-only', '--arch', '8.9'])).toMatchObject({ action: 'build-only', arch: 'sm_89' });
    expect((await parse(['bench', '--build-only'])).arch).toBeNull();
  });

  it('refuses Volta at parse time', async () => {
    await expect(parse(['bench', '--build-only', '--arch', 'sm_70'])).rejects.toThrow(UsageError);
  });
});
