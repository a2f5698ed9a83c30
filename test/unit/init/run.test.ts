import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InterruptedError, UsageError } from '../../../src/errors.js';
import { tarGz } from '../../../src/init/agent-package.js';
import { colourDiff } from '../../../src/init/conflicts.js';
import { diffOf } from '../../../src/init/plan.js';
import { runInit as runInitWith, type InitOptions } from '../../../src/init/run.js';
import type { Prompter } from '../../../src/ui/prompt.js';
import { makeTestCtx } from '../../helpers/ctx.js';

/** A person at a terminal, answering from a script; an Error in the script is thrown where Ctrl-C would be. */
function scripted(answers: Array<string | Error>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = async (message: string) => {
    asked.push(message);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected question: ${message}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { asked, confirm: async (m) => (await next(m)) === 'yes', input: next, select: next as Prompter['select'] };
}

// A small stand-in for gpuctl's own package (test/unit/init/agent-package.test.ts packs a real layout).
const PACKAGE = { version: '0.0.0-test', bytes: tarGz([{ path: 'package.json', content: Buffer.from('{"name":"gpuctl"}'), mode: 0o644 }]) };
const runInit = (options: InitOptions, ctx: Parameters<typeof runInitWith>[1]) =>
  runInitWith(options, ctx, { agentPackage: () => PACKAGE });

const opts = (over: Partial<InitOptions> = {}): InitOptions => ({
  dir: undefined,
  choices: {},
  yes: false,
  force: false,
  skip: false,
  dryRun: false,
  ...over,
});

function project(): string {
  return mkdtempSync(join(tmpdir(), 'gpuctl-init-'));
}

function ctxIn(dir: string, prompt?: Prompter) {
  const ctx = makeTestCtx({ interactive: prompt !== undefined, ...(prompt ? { prompt } : {}) });
  return { ...ctx, cwd: dir };
}

describe('questions', () => {
  test('on a terminal, asks what no flag gave and records the non-default answers', async () => {
    const dir = project();
    const prompt = scripted(['cpu:performance-4x', 'batch', 'signals', 'ams']);
    const outcome = await runInit(opts({ choices: { port: 9000 } }), ctxIn(dir, prompt));
    expect(prompt.asked).toEqual(['Target', 'Workload', 'Fly app name', 'Primary region']);
    expect(outcome.files.map((f) => [f.path, f.status])).toEqual([
      ['fly.toml', 'create'],
      ['Dockerfile', 'create'],
      ['.dockerignore', 'create'],
      ['gpuctl-start.sh', 'create'],
      ['.gpuctl.json', 'create'],
      ['.gpuctl/gpuctl.tgz', 'create'],
    ]);
    // gpuctl's own package, byte for byte, where the Dockerfile's COPY expects it.
    expect(readFileSync(join(dir, '.gpuctl/gpuctl.tgz')).equals(Buffer.from(PACKAGE.bytes))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, '.gpuctl.json'), 'utf8'))).toEqual({
      init: { app: 'signals', vmSize: 'performance-4x', workload: 'batch', region: 'ams', port: 9000 },
    });
    expect(statSync(join(dir, 'gpuctl-start.sh')).mode & 0o777).toBe(0o755);
  });

  test('Ctrl-C in a question writes nothing', async () => {
    const dir = project();
    const prompt = scripted(['gpu:a10', new InterruptedError('Cancelled; nothing was changed.')]);
    await expect(runInit(opts(), ctxIn(dir, prompt))).rejects.toMatchObject({ exitCode: 130 });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a second run asks nothing: the record answers', async () => {
    const dir = project();
    await runInit(opts({ yes: true, choices: { workload: 'training', target: { kind: 'gpu', gpuKind: 'l40s' } } }), ctxIn(dir));
    const prompt = scripted([]);
    const again = await runInit(opts(), ctxIn(dir, prompt));
    expect(prompt.asked).toEqual([]);
    expect(again.files.every((f) => f.status === 'identical')).toBe(true);
  });

  test('without a terminal, a first run needs flags or --yes', async () => {
    await expect(runInit(opts({ choices: { workload: 'batch' } }), ctxIn(project()))).rejects.toThrow(UsageError);
    await expect(runInit(opts({ choices: { workload: 'batch' } }), ctxIn(project()))).rejects.toThrow(
      'No terminal to ask on, and no --gpu-kind or --vm-size given.',
    );
  });

  test('with CI set or --json, the error names that, not a missing terminal (there may be one)', async () => {
    const base = { ...makeTestCtx({ interactive: false, env: { CI: 'true' } }), cwd: project() };
    await expect(runInit(opts({ choices: { workload: 'batch' } }), base)).rejects.toThrow(
      'CI is set, so gpuctl asks nothing, and no --gpu-kind or --vm-size given.',
    );
    const json = { ...makeTestCtx({ interactive: false, json: true }), cwd: project() };
    await expect(runInit(opts({}), json)).rejects.toThrow(
      'With --json gpuctl asks nothing, and no --gpu-kind or --vm-size or --workload given.',
    );
  });
});

describe('conflicts', () => {
  async function edited(): Promise<string> {
    const dir = project();
    await runInit(opts({ yes: true }), ctxIn(dir));
    writeFileSync(join(dir, 'Dockerfile'), `${readFileSync(join(dir, 'Dockerfile'), 'utf8')}# mine\n`);
    return dir;
  }

  test('refused without --force or --skip: nothing is written, the edit is kept', async () => {
    const dir = await edited();
    writeFileSync(join(dir, '.dockerignore'), ''); // would be merged (a change) if init wrote anything
    const outcome = await runInit(opts({ yes: true, choices: { workload: 'batch' } }), ctxIn(dir));
    expect(outcome.refused).toBe(true);
    expect(outcome.written.size).toBe(0);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/# mine\n$/);
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('');
  });

  test('--skip keeps the edit and writes the rest; --force overwrites it', async () => {
    const dir = await edited();
    unlinkSync(join(dir, '.dockerignore'));
    const skipped = await runInit(opts({ skip: true, choices: { workload: 'batch' } }), ctxIn(dir));
    expect(skipped.files.map((f) => f.status)).toEqual(['skip', 'skip', 'create', 'identical', 'skip', 'identical']);
    expect([...skipped.written]).toEqual(['.dockerignore']);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/# mine\n$/);
    const forced = await runInit(opts({ force: true }), ctxIn(dir));
    expect(forced.files.find((f) => f.path === 'Dockerfile')?.status).toBe('overwrite');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).not.toContain('# mine');
  });

  test('on a terminal: show diff, then no keeps the file', async () => {
    const dir = await edited();
    const prompt = scripted(['diff', 'no']);
    const ctx = ctxIn(dir, prompt);
    // init emits the diff asked for; the command (commands/init.ts) prints it on stderr with colourDiff.
    const shown: string[] = [];
    const outcome = await runInitWith(opts(), ctx, {
      agentPackage: () => PACKAGE,
      events: { diff: (f) => shown.push(colourDiff(diffOf(f), ctx)) },
    });
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('-# mine');
    expect(ctx.err()).toBe('');
    expect(outcome.files.find((f) => f.path === 'Dockerfile')?.status).toBe('skip');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/# mine\n$/);
  });

  test('on a terminal: a file made or edited while init asks is not overwritten, and nothing is written', async () => {
    const dir = await edited();
    unlinkSync(join(dir, '.dockerignore'));
    const script = scripted(['yes']);
    const prompt: Prompter = {
      ...script,
      select: async (message, choices, fallback) => {
        writeFileSync(join(dir, '.dockerignore'), 'mine\n'); // planned as a new file; the person's editor saves one meanwhile
        return script.select(message, choices, fallback);
      },
    };
    await expect(runInit(opts(), ctxIn(dir, prompt))).rejects.toMatchObject({
      exitCode: 2,
      message: `${join(dir, '.dockerignore')} changed while gpuctl init was asking; nothing was written.`,
    });
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/# mine\n$/);
  });

  test('on a terminal: all overwrites this and every later conflict without asking again', async () => {
    const dir = await edited();
    writeFileSync(join(dir, 'gpuctl-start.sh'), '#!/bin/sh\necho mine\n');
    const prompt = scripted(['all']);
    const outcome = await runInit(opts(), ctxIn(dir, prompt));
    expect(prompt.asked).toHaveLength(1);
    expect(outcome.files.filter((f) => f.status === 'overwrite').map((f) => f.path)).toEqual(['Dockerfile', 'gpuctl-start.sh']);
    expect(readFileSync(join(dir, 'gpuctl-start.sh'), 'utf8')).not.toContain('echo mine');
  });

  test('on a terminal: quit writes nothing (exit 130)', async () => {
    const dir = await edited();
    writeFileSync(join(dir, 'gpuctl-start.sh'), '#!/bin/sh\necho mine\n');
    chmodSync(join(dir, 'gpuctl-start.sh'), 0o700);
    await expect(runInit(opts({ choices: { workload: 'batch' } }), ctxIn(dir, scripted(['yes', 'quit'])))).rejects.toMatchObject({
      exitCode: 130,
    });
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toMatch(/# mine\n$/);
  });

  test('--dry-run writes nothing and reports what would happen', async () => {
    const dir = project();
    const outcome = await runInit(opts({ yes: true, dryRun: true }), ctxIn(dir));
    expect(outcome.files.every((f) => f.status === 'create')).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('an overwritten file keeps its permissions', async () => {
    const dir = await edited();
    chmodSync(join(dir, 'Dockerfile'), 0o600);
    await runInit(opts({ force: true }), ctxIn(dir));
    expect(statSync(join(dir, 'Dockerfile')).mode & 0o777).toBe(0o600);
  });
});

describe("gpuctl's package in the build context", () => {
  test('a newer gpuctl is a conflict shown by fingerprint, and --force writes its bytes', async () => {
    const dir = project();
    await runInit(opts({ yes: true, choices: { workload: 'batch', target: { kind: 'cpu', vmSize: 'performance-2x' } } }), ctxIn(dir));
    const newer = {
      version: '0.0.1-test',
      bytes: tarGz([{ path: 'package.json', content: Buffer.from('{"name":"gpuctl","version":"0.0.1"}'), mode: 0o644 }]),
    };
    const again = await runInitWith(opts({ yes: true }), ctxIn(dir), { agentPackage: () => newer });
    const tgz = again.files.find((f) => f.path === '.gpuctl/gpuctl.tgz');
    expect(tgz?.status).toBe('conflict');
    expect(tgz?.proposed).toMatch(/^gpuctl 0\.0\.1-test package: \d+ bytes, sha256 [0-9a-f]{64}\n$/);
    expect(again.refused).toBe(true);
    await runInitWith(opts({ force: true }), ctxIn(dir), { agentPackage: () => newer });
    expect(readFileSync(join(dir, '.gpuctl/gpuctl.tgz')).equals(Buffer.from(newer.bytes))).toBe(true);
  });
});

describe('CRLF checkouts (core.autocrlf, Windows editors)', () => {
  /** Every text file init wrote, as a CRLF checkout has it. */
  function toCrlf(dir: string): string[] {
    const texts = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((path) => !readFileSync(path).includes(0));
    for (const path of texts) writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
    return texts;
  }

  test('a CRLF copy of what init wrote is identical, not a conflict on every line', async () => {
    const dir = project();
    await runInit(opts({ yes: true, choices: { workload: 'batch' } }), ctxIn(dir));
    expect(toCrlf(dir).length).toBeGreaterThan(2);
    const again = await runInit(opts(), ctxIn(dir));
    expect(again.files.filter((f) => f.status !== 'identical').map((f) => f.path)).toEqual([]);
    expect(again.written.size).toBe(0);
  });

  test('a real change in a CRLF file is one hunk, and --force writes it back in CRLF', async () => {
    const dir = project();
    await runInit(opts({ yes: true, choices: { workload: 'batch' } }), ctxIn(dir));
    toCrlf(dir);
    const dockerfile = join(dir, 'Dockerfile');
    writeFileSync(dockerfile, `${readFileSync(dockerfile, 'utf8')}# mine\r\n`);
    const refused = await runInit(opts(), ctxIn(dir));
    expect(refused.files.filter((f) => f.status !== 'identical').map((f) => [f.path, f.status])).toEqual([['Dockerfile', 'conflict']]);
    const forced = await runInit(opts({ force: true }), ctxIn(dir));
    const planned = forced.files.find((f) => f.path === 'Dockerfile')!;
    expect(planned.status).toBe('overwrite');
    expect(
      diffOf(planned)
        .split('\n')
        .filter((l) => /^[-+][^-+]/.test(l)),
    ).toEqual(['-# mine\r']);
    const written = readFileSync(dockerfile, 'utf8');
    expect(written).not.toContain('# mine');
    expect(written).toMatch(/\r\n$/);
    expect(written.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
