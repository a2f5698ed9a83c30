/**
 * With --json, stdout carries JSON or nothing, on every path the registry has: --version, help asked for, a group
 * without its subcommand, and commander's usage errors in every command (walked from the registry, in-process).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import type { AnyCommand } from '../../../src/commands/define.js';
import { registry } from '../../../src/commands/index.js';
import { InterruptedError } from '../../../src/errors.js';
import { VERSION } from '../../../src/version.js';
import { fakeClock } from '../../helpers/clock.js';
import { cliIO, makeTestCtx, type TestCtx } from '../../helpers/ctx.js';

async function run(
  argv: string[],
  ctx = makeTestCtx({ json: argv.includes('--json') }),
  signal = new AbortController().signal,
): Promise<{ code: number; ctx: TestCtx }> {
  const code = await runCli(cliIO(argv, ctx, { signal, host: { nodeVersion: '22.11.0', platform: 'linux', arch: 'arm64' } }));
  return { code, ctx };
}

/** Every command's path in the registry ([] is gpuctl itself), with its definition. */
function walk(specs: readonly AnyCommand[], path: string[] = []): Array<{ path: string[]; spec: AnyCommand }> {
  return specs.flatMap((spec) => [{ path: [...path, spec.name], spec }, ...walk(spec.subcommands ?? [], [...path, spec.name])]);
}
const commands = walk(registry);
const groups = commands.filter((c) => c.spec.subcommands?.length);

/** A usage error under --json: the documented object alone on stdout, nothing on stderr, exit 2. */
async function expectJsonUsageError(argv: string[]): Promise<string> {
  const { code, ctx } = await run(argv);
  const label = `gpuctl ${argv.join(' ')}`;
  expect(ctx.err(), label).toBe('');
  expect(code, label).toBe(2);
  const document = JSON.parse(ctx.out()) as { error: { code: string; message: string; exitCode: number } };
  expect(document.error, label).toMatchObject({ code: 'usage', exitCode: 2 });
  return document.error.message;
}

describe('--version', () => {
  it('prints the version alone, and with --json (before or after, or past a command) a JSON document', async () => {
    expect((await run(['--version'])).ctx.out()).toBe(`${VERSION}\n`);
    // `gpuctl version`, as flyctl, gh and kubectl spell it (it was "Unknown command 'version'", exit 2).
    const word = await run(['version']);
    expect(word.code).toBe(0);
    expect(word.ctx.out()).toBe(`${VERSION}\n`);
    const info = { schemaVersion: 1, name: 'gpuctl', version: VERSION, node: '22.11.0', platform: 'linux', arch: 'arm64' };
    for (const argv of [
      ['--version', '--json'],
      ['--json', '-V'],
      ['--json', '--verbose', '--version'],
      ['scale', '--version', '--json'],
      ['version', '--json'],
    ]) {
      const { code, ctx } = await run(argv);
      expect(code, argv.join(' ')).toBe(0);
      expect(ctx.err()).toBe('');
      expect(JSON.parse(ctx.out()), argv.join(' ')).toEqual(info);
    }
  });
});

describe('a group without its subcommand', () => {
  it('without --json: its help on stdout, exit 0 (as kubectl and gh do)', async () => {
    for (const argv of [[], ...groups.map((g) => g.path)]) {
      const { code, ctx } = await run(argv);
      expect(code).toBe(0);
      expect(ctx.out()).toMatch(new RegExp(`^Usage: ${['gpuctl', ...argv].join(' ')} `));
    }
  });

  it('with --json: a usage error as the JSON object, exit 2, for gpuctl itself and every group', async () => {
    for (const { path } of groups)
      expect(await expectJsonUsageError([...path, '--json'])).toMatch(new RegExp(`^Missing subcommand: gpuctl ${path.join(' ')} needs `));
    expect(await expectJsonUsageError(['--json'])).toMatch(/^Missing command: gpuctl needs one of detect, doctor, .* or alerts\.$/);
    expect(await expectJsonUsageError(['scale', '--json'])).toBe('Missing subcommand: gpuctl scale needs one of show, count or vm.');
    expect(await expectJsonUsageError(['alerts', '--json'])).toBe('Missing subcommand: gpuctl alerts needs its subcommand export.');
    expect(await expectJsonUsageError(['--json', 'autoscale'])).toBe(
      'Missing subcommand: gpuctl autoscale needs one of plan, run or export.',
    );
  });
});

describe("every command's --json, walked from the registry", () => {
  it('help asked for goes to stderr, exit 0: stdout stays empty', async () => {
    for (const argv of [['--help'], ['help'], ['help', 'scale'], ...commands.map((c) => [...c.path, '--help'])]) {
      const { code, ctx } = await run([...argv, '--json']);
      expect(code, argv.join(' ')).toBe(0);
      expect(ctx.out(), argv.join(' ')).toBe('');
      expect(ctx.err(), argv.join(' ')).toMatch(/^Usage: gpuctl/);
    }
  });

  it("commander's usage errors (an unknown option, a value left out, a bad choice, a missing argument) are the JSON object", async () => {
    let cases = 0;
    expect(await expectJsonUsageError(['--json', 'deplyo'])).toBe("Unknown command 'deplyo'.");
    expect(await expectJsonUsageError(['help', 'nope', '--json'])).toBe("Unknown command 'nope'.");
    for (const { path, spec } of commands) {
      await expectJsonUsageError([...path, '--json', '--nope']);
      for (const option of spec.options ?? []) {
        const flag = /--[\w-]+/.exec(option.flags)?.[0] ?? '';
        if (/<[\w.-]+>/.test(option.flags)) await expectJsonUsageError([...path, '--json', flag]);
        if (option.choices) await expectJsonUsageError([...path, '--json', flag, 'not-a-choice']);
        cases += 1;
      }
      if (spec.args?.some((a) => a.required)) await expectJsonUsageError([...path, '--json']);
    }
    expect(cases).toBeGreaterThan(100);
  });
});

describe('agent --json, a stream of records', () => {
  it('agent: an error that ends it is one NDJSON line like its records (it was an indented document)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      // a machine without nvidia-smi or dmesg: the agent logs both, then cannot listen
      const ctx = makeTestCtx({
        json: true,
        clock: fakeClock(),
        rules: [{ match: (r) => r.file === 'dmesg', result: { kind: 'not-found', file: 'dmesg' } }],
        stream: () => ({ pid: undefined, stop: () => undefined, ended: Promise.resolve({ kind: 'not-found', file: 'nvidia-smi' }) }),
      });
      const { code } = await run(['agent', '--json', '--listen', `127.0.0.1:${port}`], ctx);
      expect(code).toBe(1);
      expect(ctx.out()).toMatch(
        /^\{"error":\{"code":"failed","message":"The agent cannot listen on 127\.0\.0\.1:\d+: the port is in use\."/,
      );
      expect(ctx.out().split('\n')).toHaveLength(2);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('stopped by a signal', () => {
  it("SIGTERM: the error object's exitCode is the 143 gpuctl exits with (it said 130); Ctrl-C stays 130", async () => {
    for (const [name, exitCode] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      const controller = new AbortController();
      // what main() does on the signal; flyctl, asked first, ends interrupted with it
      controller.abort(new InterruptedError(undefined, { cause: name }));
      const ctx = makeTestCtx({
        json: true,
        rules: [{ match: (r) => r.file === 'flyctl', result: { kind: 'interrupted', stdout: '', stderr: '' } }],
      });
      const { code } = await run(['status', '--json', '-a', 'quant-signals'], ctx, controller.signal);
      expect(code, name).toBe(exitCode);
      expect(JSON.parse(ctx.out()), name).toMatchObject({ error: { code: 'interrupted', exitCode } });
    }
  });
});
