/** argv → options, separately from behaviour: the program is built with a handler that only records. */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveFlyToml } from '../../../src/flyio/config-path.js';
import type { CommandSpec, RawInput } from '../../../src/commands/define.js';
import { registry } from '../../../src/commands/index.js';
import { buildProgram, reflow } from '../../../src/program.js';
import { UsageError } from '../../../src/errors.js';

async function parse(argv: string[]): Promise<{ name: string; options: unknown; raw: RawInput }> {
  let seen: { name: string; options: unknown; raw: RawInput } | undefined;
  const program = buildProgram(
    registry,
    async (spec: CommandSpec<unknown>, raw) => {
      seen = { name: spec.name, options: spec.parse ? spec.parse(raw) : raw, raw };
    },
    { writeOut: () => undefined, writeErr: () => undefined },
  );
  await program.parseAsync(argv, { from: 'user' });
  if (!seen) throw new Error('no command ran');
  return seen;
}

describe('wiring', () => {
  it('detect', async () => {
    expect((await parse(['detect'])).options).toEqual({ requireGpu: false });
    expect((await parse(['detect', '--require-gpu'])).options).toEqual({ requireGpu: true });
  });

  it('global flags are read before or after the command', async () => {
    expect((await parse(['--json', 'detect'])).raw.opts).toMatchObject({ json: true, color: true });
    expect((await parse(['detect', '--json', '--no-color', '--verbose'])).raw.opts).toMatchObject({
      json: true,
      color: false,
      verbose: true,
    });
  });

  it('doctor --require', async () => {
    expect((await parse(['doctor'])).options).toEqual({ require: [] });
    expect((await parse(['doctor', '--require', 'gpu,flyctl'])).options).toEqual({ require: ['gpu', 'flyctl'] });
    await expect(parse(['doctor', '--require', 'gpu,warp-drive'])).rejects.toThrow(UsageError);
  });

  it('every command has a summary, and examples that start with gpuctl', () => {
    const walk = (specs: readonly CommandSpec<any>[]): CommandSpec<any>[] => specs.flatMap((s) => [s, ...walk(s.subcommands ?? [])]);
    for (const spec of walk(registry)) {
      expect(spec.summary.length, spec.name).toBeGreaterThan(10);
      expect(spec.examples?.length, `${spec.name} has examples`).toBeGreaterThan(0);
      for (const [command] of spec.examples ?? []) expect(command).toMatch(/^gpuctl /);
    }
  });
});

describe('help text', () => {
  it('reflows hard-wrapped descriptions and keeps paragraphs', () => {
    expect(reflow('One row per check,\n  with a remedy.\n\nExits 1 when\na check fails.')).toBe(
      'One row per check, with a remedy.\n\nExits 1 when a check fails.',
    );
  });
});

describe('-c/--config', () => {
  it('takes a fly.toml path or, like flyctl, the directory holding it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    mkdirSync(join(dir, 'app'));
    expect(resolveFlyToml(dir, 'app')).toBe(join(dir, 'app', 'fly.toml'));
    expect(resolveFlyToml(dir, 'app/fly.staging.toml')).toBe(join(dir, 'app', 'fly.staging.toml'));
    expect(resolveFlyToml(dir, 'missing.toml')).toBe(join(dir, 'missing.toml'));
  });
});
