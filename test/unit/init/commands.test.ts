/** argv → options wiring, apart from behaviour: commander parses, then spec.parse checks. */
import { expect, test } from 'vitest';
import type { CommandSpec, RawInput } from '../../../src/commands/define.js';
import { initCommand } from '../../../src/commands/init.js';
import { validateCommand } from '../../../src/commands/validate.js';
import { buildProgram } from '../../../src/program.js';

async function parsed<O>(spec: CommandSpec<O>, argv: string[]): Promise<O> {
  let raw: RawInput | undefined;
  const program = buildProgram([spec as CommandSpec<unknown>], async (_s, r) => void (raw = r), { writeOut: () => {}, writeErr: () => {} });
  await program.parseAsync([spec.name, ...argv], { from: 'user' });
  return spec.parse!(raw!);
}

test.each([
  [[], { dir: undefined, choices: {}, yes: false, force: false, skip: false, dryRun: false }],
  [
    ['--yes', '--workload', 'batch', '--vm-size', 'performance-2x'],
    { yes: true, choices: { workload: 'batch', target: { kind: 'cpu', vmSize: 'performance-2x' } } },
  ],
  [
    ['--gpu-kind', 'l40s', '-a', 'llm', '-r', 'ord', '--dir', 'out'],
    { dir: 'out', choices: { app: 'llm', region: 'ord', target: { kind: 'gpu', gpuKind: 'l40s' } } },
  ],
  [
    ['--port', '9000', '--volume-size', '50', '--cmd', 'uv run serve', '--force', '--dry-run'],
    { force: true, dryRun: true, choices: { port: 9000, volumeGb: 50, cmd: ['uv', 'run', 'serve'] } },
  ],
])('gpuctl init %j', async (argv, expected) => {
  expect(await parsed(initCommand, argv)).toMatchObject(expected);
});

test.each([
  [['--gpu-kind', 'a10', '--vm-size', 'performance-2x'], '--gpu-kind and --vm-size exclude each other.'],
  [['--force', '--skip'], '--force and --skip exclude each other.'],
  [['--gpu-kind', 'a100-40gb'], 'Unknown GPU kind "a100-40gb".'],
  [['--port', '80a'], 'The port must be a whole number from 1 to 65535, not "80a".'],
  [['--volume-size', '501'], 'The volume size (GB) must be a whole number from 1 to 500, not "501".'],
  [['--app', 'My_App'], '"My_App" is not a valid Fly app name.'],
])('gpuctl init %j is a usage error', async (argv, message) => {
  await expect(parsed(initCommand, argv)).rejects.toThrow(message);
});

test('an unknown GPU kind (an H100, say) is pointed at --for-local-gpu, and told that Fly GPU kinds are retired', async () => {
  await expect(parsed(initCommand, ['--gpu-kind', 'h100'])).rejects.toMatchObject({
    message: 'Unknown GPU kind "h100".',
    hint: expect.stringMatching(
      /a10, l40s, a100-pcie-40gb, a100-sxm4-80gb \(all retired .* 2026-08-01\)\. For the GPU of this machine, .* --for-local-gpu\.$/,
    ) as string,
  });
});

test.each([
  [[], { format: 'text', config: undefined, dockerfile: undefined, workload: undefined }],
  [
    ['-c', 'deploy/fly.toml', '--dockerfile', 'Dockerfile.gpu', '--workload', 'training'],
    { format: 'text', config: 'deploy/fly.toml', dockerfile: 'Dockerfile.gpu', workload: 'training' },
  ],
])('gpuctl validate %j', async (argv, expected) => {
  expect(await parsed(validateCommand, argv)).toEqual(expected);
});
