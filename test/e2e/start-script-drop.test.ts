/**
 * The start script's drop to the application user, run by a real sh with logging stand-ins for `id`
 * (root), `chown` and `setpriv` on PATH (issue 18): the model directory is never handed over through a
 * symbolic link, and GPUCTL_RUN_AS reaches setpriv as one argument, never split into more.
 */
import { execa } from 'execa';
import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadTemplates } from '../../src/init/templates.js';

const dir = mkdtempSync(join(tmpdir(), 'gpuctl-start-drop-'));
const script = join(dir, 'gpuctl-start.sh');
writeFileSync(script, loadTemplates()['gpuctl-start.sh']);

/** A bin folder whose chown and setpriv log one JSON argv a line to calls.jsonl; setpriv then runs the command. */
function bin(): { path: string; log: string } {
  const path = mkdtempSync(join(tmpdir(), 'gpuctl-drop-bin-'));
  const log = join(path, 'calls.jsonl');
  const logger = (name: string, tail: string) =>
    `#!/bin/sh\nnode -e 'require("fs").appendFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)) + "\\n")' "${log}" ${name} "$@"\n${tail}\n`;
  writeFileSync(join(path, 'id'), '#!/bin/sh\n[ "$1" = "-u" ] && echo 0 && exit 0\nexec /usr/bin/id "$@"\n');
  writeFileSync(join(path, 'chown'), logger('chown', 'exit 0'));
  writeFileSync(join(path, 'setpriv'), logger('setpriv', 'while [ "$1" != "--" ]; do shift; done; shift; exec "$@"'));
  for (const name of ['id', 'chown', 'setpriv']) chmodSync(join(path, name), 0o755);
  symlinkSync(process.execPath, join(path, 'node'));
  return { path, log };
}

async function boot(env: Record<string, string>) {
  const { path, log } = bin();
  const run = await execa('sh', [script, 'sh', '-c', 'echo app-ran'], {
    env: { PATH: `${path}:/usr/bin:/bin`, GPUCTL_AGENT: 'off', ...env },
    extendEnv: false,
    reject: false,
    timeout: 20_000,
  });
  const calls = readFileSync(log, { encoding: 'utf8', flag: 'a+' })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
  return { exitCode: run.exitCode, stdout: String(run.stdout), stderr: String(run.stderr), calls };
}

test('the model directory is handed to the application user with chown -h', async () => {
  const models = mkdtempSync(join(tmpdir(), 'gpuctl-models-'));
  const run = await boot({ GPUCTL_RUN_AS: '10001', GPUCTL_MODEL_DIR: models });
  expect(run).toMatchObject({ exitCode: 0, stdout: 'app-ran' });
  expect(run.calls).toContainEqual(['chown', '-h', '10001:', models]);
  expect(run.calls).toContainEqual(['setpriv', '--reuid=10001', '--regid=10001', '--init-groups', '--', 'sh', '-c', 'echo app-ran']);
});

test('a model directory that is a symbolic link is never handed over (it could point at /etc)', async () => {
  const target = mkdtempSync(join(tmpdir(), 'gpuctl-elsewhere-'));
  const link = join(mkdtempSync(join(tmpdir(), 'gpuctl-models-')), 'models');
  symlinkSync(target, link);
  const run = await boot({ GPUCTL_RUN_AS: '10001', GPUCTL_MODEL_DIR: link });
  expect(run.exitCode).toBe(0);
  expect(run.calls.filter((call) => call[0] === 'chown')).toEqual([]);
  expect(run.stderr).toContain(`${link} is a symbolic link: not handing it to 10001`);
});

test('GPUCTL_RUN_AS reaches setpriv as one argument: a value with spaces cannot add options', async () => {
  const run = await boot({ GPUCTL_RUN_AS: '10001 --reuid=0' });
  const setpriv = run.calls.find((call) => call[0] === 'setpriv');
  expect(setpriv).toEqual([
    'setpriv',
    '--reuid=10001 --reuid=0',
    '--regid=10001 --reuid=0',
    '--init-groups',
    '--',
    'sh',
    '-c',
    'echo app-ran',
  ]);
});
