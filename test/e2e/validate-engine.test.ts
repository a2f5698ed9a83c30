/**
 * Every validate rule that says "docker build fails" is confirmed by a real engine: podman builds each
 * failing Dockerfile (it must fail) and its twin (it must build). FROM scratch, so nothing is pulled;
 * a private storage root, so nothing is left behind and other builds on the machine are not touched.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RULES, validateFiles, type RuleId } from '../../src/validate/index.js';
import { SYNTAX_CASES } from '../fixtures/validate/dockerfile-syntax/cases.js';
import { FIXTURES } from '../helpers/cli.js';
import { podman, podmanPath } from '../helpers/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'gpuctl-validate-engine-'));
const conf = join(dir, 'containers.conf');
// podman refuses a runroot path over 50 characters; TMPDIR can be longer.
const runroot = mkdtempSync('/tmp/gpuctl-run-');
let n = 0;

beforeAll(async () => {
  podmanPath(); // fails naming the packages to install when the engine is missing (.ci/run installs them)
  // As scripts/standin-bases.sh writes it: runc and cgroupfs (crun refuses this VM's cgroup layout), limits
  // within the hard ones (root here cannot raise them; conmon's were lower than the shell's), a file event log.
  const limit = async (flag: string) => {
    const hard = (await execa('bash', ['-c', `ulimit -H${flag}`])).stdout.trim();
    return hard === 'unlimited' ? 16384 : Math.min(16384, Number(hard));
  };
  const [nofile, nproc] = [await limit('n'), await limit('u')];
  writeFileSync(
    conf,
    `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n` +
      '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n',
  );
});

// vfs storage mounts nothing, so the whole private root goes with the directory.
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(runroot, { recursive: true, force: true });
});

/** podman build of `text` with the context `files`; its exit code and what it said. */
async function build(text: string, files: Record<string, string> = {}): Promise<{ exitCode: number; output: string }> {
  const context = join(dir, `ctx-${++n}`);
  mkdirSync(context);
  writeFileSync(join(context, 'Dockerfile'), text);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(context, name), body);
  const storage = ['--root', join(dir, 'root'), '--runroot', runroot, '--storage-driver', 'vfs'];
  const r = await podman({ CONTAINERS_CONF: conf }, [...storage, 'build', '--pull=never', '-f', join(context, 'Dockerfile'), context], {
    all: true,
    timeout: 60_000,
  });
  return { exitCode: r.exitCode ?? -1, output: String(r.all) };
}

const syntaxLines = (text: string) =>
  validateFiles({ dockerfile: { path: 'Dockerfile', text } })
    .filter((f) => f.id === 'dockerfile-syntax')
    .map((f) => f.line);

describe.each(SYNTAX_CASES)('dockerfile-syntax: $name', (c) => {
  test('validate flags it, podman refuses to build it, and builds its twin', async () => {
    expect(syntaxLines(c.fail)).toEqual([c.line]);
    expect(syntaxLines(c.pass)).toEqual([]);
    const fail = await build(c.fail);
    expect(fail.exitCode, fail.output).not.toBe(0);
    // Refused as written, not for a reason of this machine (a pull, the storage, the runtime).
    expect(fail.output).not.toMatch(/pulling|image not known|storage|runroot|permission denied|ulimit|cgroup|oci runtime/i);
    const pass = await build(c.pass);
    expect(pass.exitCode, pass.output).toBe(0);
  });
});

test('dockerfile-missing-file: a COPY source absent from the context fails the build; present, it builds', async () => {
  const text = 'FROM scratch\nWORKDIR /app\nCOPY requirements.txt ./\n';
  const has = (files: string[]) => (path: string) => files.includes(path);
  const findings = (files: string[]) =>
    validateFiles({ dockerfile: { path: 'Dockerfile', text } }, { contextHas: has(files) }).filter(
      (f) => f.id === 'dockerfile-missing-file',
    );
  expect(findings([]).map((f) => [f.line, f.severity])).toEqual([[3, 'error']]);
  expect(findings(['requirements.txt'])).toEqual([]);
  const fail = await build(text);
  expect(fail.exitCode, fail.output).not.toBe(0);
  expect(fail.output).toMatch(/requirements\.txt.*no such file or directory/i);
  const pass = await build(text, { 'requirements.txt': '' });
  expect(pass.exitCode, pass.output).toBe(0);
});

test('no other Dockerfile rule claims that the build fails (a new one must be added above)', () => {
  const confirmed: RuleId[] = ['dockerfile-syntax', 'dockerfile-missing-file'];
  const dockerRules = (Object.keys(RULES) as RuleId[]).filter((id) => RULES[id].file === 'Dockerfile');
  for (const id of dockerRules.filter((r) => !confirmed.includes(r))) {
    const path = join(FIXTURES, 'validate/rules', id, 'fail.Dockerfile');
    expect(existsSync(path), path).toBe(true);
    const said = validateFiles({ dockerfile: { path: 'Dockerfile', text: readFileSync(path, 'utf8') } }).filter((f) => f.id === id);
    expect(said.length, id).toBeGreaterThan(0);
    for (const f of said)
      expect(`${RULES[id].summary} ${f.message} ${f.fix}`, id).not.toMatch(/build (?:fails|stops)|cannot build|can build|refuses/i);
  }
});
