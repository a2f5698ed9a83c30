/** The single error boundary: every kind of error becomes one sentence and the documented exit code. */
import { describe, expect, it } from 'vitest';
import { renderError, runCli } from '../../../src/cli.js';
import { makeRedactor, secretsFrom } from '../../../src/context.js';
import { FailedError, InterruptedError, MissingError, ToolError, UsageError } from '../../../src/errors.js';
import { createStyle } from '../../../src/ui/style.js';
import { cliIO, exited, makeTestCtx } from '../../helpers/ctx.js';

const plain = { style: createStyle(false), redact: (s: string) => s };
const human = { json: false, verbose: false, color: false };

describe('renderError', () => {
  it.each([
    [new FailedError('Health checks failed.', { hint: 'See gpuctl status.' }), 1],
    [new UsageError('Unknown check.'), 2],
    [new MissingError('No GPU.', 'gpu'), 3],
    [new ToolError('nvidia-smi hung.', 'nvidia-smi', 'tool_timeout'), 1],
    [new InterruptedError(), 130],
  ])('%s → exit %i', (error, code) => {
    const out = renderError(error, human, plain);
    expect(out.exitCode).toBe(code);
    expect(out.stderr.startsWith(`Error: ${error.message}\n`)).toBe(true);
    expect(out.stdout).toBe('');
  });

  it('an unexpected error asks for a report, exit 1, stack only with --verbose', () => {
    const bug = new TypeError('x is undefined');
    expect(renderError(bug, human, plain)).toMatchObject({ exitCode: 1 });
    expect(renderError(bug, human, plain).stderr).toContain('unexpected error: x is undefined');
    expect(renderError(bug, human, plain).stderr).not.toContain('at ');
    expect(renderError(bug, { ...human, verbose: true }, plain).stderr).toContain('TypeError: x is undefined\n    at ');
  });

  it('--json puts a JSON error on stdout', () => {
    const out = renderError(new MissingError('No GPU.', 'gpu', { hint: 'Install a driver.' }), { ...human, json: true }, plain);
    expect(JSON.parse(out.stdout)).toEqual({ error: { code: 'tool_missing', message: 'No GPU.', hint: 'Install a driver.', exitCode: 3 } });
  });

  it('never prints a token, not even in a stack trace', () => {
    const token = 'FlyV1 fm2_lJPECAAAAAAAAABAxBB1c2VyX3Rva2VuX3NlY3JldF8xMjM0NTY3ODk=,fm2_second_part_abcdefgh';
    const redact = makeRedactor(secretsFrom({ FLY_API_TOKEN: token }));
    const error = new FailedError(`flyctl said: bad token ${token}`, { hint: 'fm2_second_part_abcdefgh is wrong' });
    const out = renderError(error, { ...human, verbose: true }, { style: createStyle(false), redact });
    expect(out.stderr).toContain('[REDACTED]');
    expect(out.stderr).not.toContain('fm2_');
  });
});

describe('runCli', () => {
  const io = (argv: string[], ctx = makeTestCtx()) => cliIO(argv, ctx);

  it('returns the command exit code and prints nothing else', async () => {
    const ctx = makeTestCtx({ rules: [{ match: (r) => r.file === 'nvidia-smi', result: exited('garbage') }] });
    expect(await runCli(io(['detect'], ctx))).toBe(1);
    expect(ctx.err()).toContain('printed output gpuctl cannot read');
  });

  it('usage errors are exit 2, help is exit 0', async () => {
    const ctx = makeTestCtx();
    expect(await runCli(io(['detect', '--nope'], ctx))).toBe(2);
    // issue 13: one style for every error, with a hint naming the command's help.
    expect(ctx.err()).toBe("Error: Unknown option '--nope'.\nHint: Run 'gpuctl detect --help' for usage.\n");
    expect(ctx.out()).toBe('');
    expect(await runCli(io(['--help'], ctx))).toBe(0);
  });

  it('`help nope` is the usage error `nope` is (it printed the whole help, exit 0); `help detect` is help', async () => {
    const ctx = makeTestCtx();
    expect(await runCli(io(['help', 'nope'], ctx))).toBe(2);
    expect(ctx.err()).toBe("Error: Unknown command 'nope'.\nHint: Run 'gpuctl --help' for usage.\n");
    expect(ctx.out()).toBe('');
    const sub = makeTestCtx();
    expect(await runCli(io(['scale', 'help', 'cuont'], sub))).toBe(2);
    expect(sub.err()).toBe("Error: Unknown command 'cuont'.\nHint: Run 'gpuctl scale --help' for usage.\n");
    const known = makeTestCtx();
    expect(await runCli(io(['help', 'detect'], known))).toBe(0);
    expect(known.out()).toMatch(/^Usage: gpuctl detect \[options\]/);
  });

  it('`help scale count` is scale count’s help, as gh and kubectl give it (it printed scale’s); a wrong second name is a usage error', async () => {
    const ctx = makeTestCtx();
    expect(await runCli(io(['help', 'scale', 'count'], ctx))).toBe(0);
    expect(ctx.out()).toMatch(/^Usage: gpuctl scale count \[options\] <N>/);
    const nested = makeTestCtx();
    expect(await runCli(io(['help', 'autoscale', 'export'], nested))).toBe(0);
    expect(nested.out()).toMatch(/^Usage: gpuctl autoscale export \[options\]/);
    const wrong = makeTestCtx();
    expect(await runCli(io(['help', 'scale', 'cuont'], wrong))).toBe(2);
    expect(wrong.err()).toBe("Error: Unknown command 'cuont'.\nHint: Run 'gpuctl scale --help' for usage.\n");
    expect(wrong.out()).toBe('');
  });

  it("a value left out: an option's value that is another of its options is a usage error (init --dir --force wrote into ./--force)", async () => {
    for (const [argv, message] of [
      [['init', '--yes', '--dir', '--force'], 'Error: --dir took "--force" as its value, and --force is an option of this command.'],
      [['validate', '-c', '--format'], 'Error: --config took "--format" as its value, and --format is an option of this command.'],
      [['bench', '--out', '--force', '--cpu'], 'Error: --out took "--force" as its value, and --force is an option of this command.'],
    ] as const) {
      const ctx = makeTestCtx();
      expect(await runCli(io([...argv], ctx))).toBe(2);
      expect(ctx.err().split('\n')[0]).toBe(message);
      expect(ctx.calls).toEqual([]);
    }
  });

  it('a usage error with --json: the documented object on stdout and nothing on stderr', async () => {
    const ctx = makeTestCtx({ json: true });
    expect(await runCli(io(['scale', 'count', '--json'], ctx))).toBe(2);
    expect(ctx.err()).toBe('');
    expect(JSON.parse(ctx.out())).toEqual({
      error: { code: 'usage', message: "Missing required argument 'N'.", hint: "Run 'gpuctl scale count --help' for usage.", exitCode: 2 },
    });
  });

  it('a misspelt command gets the suggestion in its hint', async () => {
    const ctx = makeTestCtx();
    expect(await runCli(io(['deplyo'], ctx))).toBe(2);
    expect(ctx.err()).toBe("Error: Unknown command 'deplyo'.\nHint: Did you mean deploy? Run 'gpuctl --help' for usage.\n");
  });

  it('bare gpuctl and gpuctl scale print help on stdout, exit 0 (as kubectl and gh do)', async () => {
    for (const argv of [[], ['scale']]) {
      const ctx = makeTestCtx();
      expect(await runCli(io(argv, ctx))).toBe(0);
      expect(ctx.err()).toBe('');
      expect(ctx.out()).toMatch(/^Usage: gpuctl/);
      expect(ctx.out()).toContain('Commands:');
    }
  });

  it("every command's help lists the global options and has examples", async () => {
    for (const argv of [
      ['scale', '--help'],
      ['scale', 'count', '--help'],
      ['detect', '--help'],
    ]) {
      const ctx = makeTestCtx();
      expect(await runCli(io(argv, ctx))).toBe(0);
      expect(ctx.out()).toContain('Global Options:');
      expect(ctx.out()).toContain('--json');
      expect(ctx.out()).toContain('Examples:');
    }
  });

  it('a result that carries its error (init refused, deploy failed) is not printed twice with --json', () => {
    const error = new FailedError('2 files differ.', { hint: 'Use --force.' }).asReported();
    expect(renderError(error, { ...human, json: true }, plain)).toEqual({ stdout: '', stderr: '', exitCode: 1 });
    expect(renderError(error, human, plain).stderr).toBe('Error: 2 files differ.\nHint: Use --force.\n');
  });
});
