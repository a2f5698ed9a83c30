import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MissingError, ToolError } from '../../../src/errors.js';
import { queryArgs, QUERY_FIELDS } from '../../../src/gpu/nvidia-smi.js';
import { querySmi } from '../../../src/gpu/smi-probe.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';

const LINE = '0, NVIDIA L4, GPU-1, 00000000:01:00.0, 23034, 0, 8.9, 550.90.07, 72.00, 2040, 6251, [N/A], Enabled, Enabled\n';

describe('querySmi', () => {
  it('makes exactly one call with a timeout', async () => {
    const ctx = makeTestCtx({ rules: [{ match: ['nvidia-smi', ...queryArgs()], result: exited(LINE) }] });
    const outcome = await querySmi(ctx);
    expect(outcome.kind === 'ok' && outcome.gpus[0]?.name).toBe('NVIDIA L4');
    expect(ctx.calls).toHaveLength(1);
    expect(ctx.calls[0]?.timeoutMs).toBe(10_000);
  });

  it("output it cannot read: the hint names the tool that ran and gpuctl's --verbose, not a flag of nvidia-smi", async () => {
    const garbage = exited('<html><body>502 Bad Gateway</body></html>\n');
    const hint = (env: Record<string, string>) =>
      querySmi(makeTestCtx({ env, rules: [{ match: () => true, result: garbage }] })).catch((e: unknown) => (e as { hint: string }).hint);
    expect(await hint({})).toBe('Is `nvidia-smi` on PATH the real one? Run gpuctl with --verbose to see the exact command it ran.');
    expect(await hint({ GPUCTL_NVIDIA_SMI: '/opt/nv/nvidia-smi' })).toBe(
      'Is /opt/nv/nvidia-smi (GPUCTL_NVIDIA_SMI) the real one? Run gpuctl with --verbose to see the exact command it ran.',
    );
  });

  it('honours GPUCTL_NVIDIA_SMI and the timeout override', async () => {
    const ctx = makeTestCtx({
      env: { GPUCTL_NVIDIA_SMI: '/opt/nv/nvidia-smi', GPUCTL_NVIDIA_SMI_TIMEOUT_MS: '250' },
      rules: [
        {
          match: (r) => r.file === '/opt/nv/nvidia-smi' && r.timeoutMs === 250,
          result: { kind: 'timeout', timeoutMs: 250, stdout: '', stderr: '' },
        },
      ],
    });
    await expect(querySmi(ctx)).rejects.toThrow(ToolError);
  });

  it('absent is a value, not an error', async () => {
    const ctx = makeTestCtx({ rules: [{ match: () => true, result: { kind: 'not-found', file: 'nvidia-smi' } }] });
    expect(await querySmi(ctx)).toEqual({ kind: 'absent' });
  });

  it('a GPUCTL_NVIDIA_SMI that names no program is said, naming the variable (exit 3), not read as a host without a GPU', async () => {
    const ctx = makeTestCtx({
      env: { GPUCTL_NVIDIA_SMI: '/opt/nv/nvidia-smi' },
      rules: [{ match: () => true, result: { kind: 'not-found', file: '/opt/nv/nvidia-smi' } }],
    });
    const error = await querySmi(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingError);
    expect(error).toMatchObject({
      exitCode: 3,
      message: 'GPUCTL_NVIDIA_SMI is set to "/opt/nv/nvidia-smi", and there is no such program.',
      hint: 'Point GPUCTL_NVIDIA_SMI at nvidia-smi, or unset it to use nvidia-smi from PATH.',
    });
  });

  it('GPUCTL_NVIDIA_SMI set and empty is unset: nvidia-smi from PATH runs', async () => {
    const ctx = makeTestCtx({ env: { GPUCTL_NVIDIA_SMI: '' }, rules: [{ match: ['nvidia-smi', ...queryArgs()], result: exited(LINE) }] });
    const outcome = await querySmi(ctx);
    expect(outcome.kind === 'ok' && outcome.gpus[0]?.name).toBe('NVIDIA L4');
    expect(ctx.calls.map((c) => c.file)).toEqual(['nvidia-smi']);
  });

  it('a driver failure is a missing device (exit 3)', async () => {
    const text =
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n";
    const ctx = makeTestCtx({ rules: [{ match: () => true, result: exited(text, 9) }] });
    await expect(querySmi(ctx)).rejects.toSatisfy((e) => e instanceof MissingError && e.exitCode === 3);
  });

  it('drops a field an old driver rejects, once, and never index or name', async () => {
    const withoutCc = QUERY_FIELDS.filter((f) => f !== 'compute_cap');
    const ctx = makeTestCtx({
      rules: [
        { match: ['nvidia-smi', ...queryArgs()], result: exited('Field "compute_cap" is not a valid field to query.\n\n', 2) },
        { match: ['nvidia-smi', ...queryArgs(withoutCc)], result: exited(LINE.replace(' 8.9,', '')) },
      ],
    });
    const outcome = await querySmi(ctx);
    expect(outcome.kind === 'ok' && outcome.fields).toEqual(withoutCc);
    const broken = makeTestCtx({ rules: [{ match: () => true, result: exited('Field "name" is not a valid field to query.\n', 2) }] });
    await expect(querySmi(broken)).rejects.toThrow('nvidia-smi failed with exit code 2');
  });

  it('a crash is reported by its first meaningful lines, the error, not the tail of a Node stack', async () => {
    // A real Node crash (an nvidia-smi wrapper written in Node): the location, the echoed source line and its caret,
    // the error, its stack, its properties in braces and "Node.js v…" last.
    const script = "const e = new Error('NVML could not be initialised'); e.code = 'E_NVML'; throw e;";
    const crash = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(crash.status).toBe(1);
    expect(crash.stderr.trim().split('\n').at(-1)).toMatch(/^Node\.js v\d/);
    const ctx = makeTestCtx({ rules: [{ match: () => true, result: exited('', 1, crash.stderr) }] });
    const error = await querySmi(ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toBe('nvidia-smi failed with exit code 1: Error: NVML could not be initialised');
  });

  it('of a plain failure the first lines are kept, the error before its follow-up', async () => {
    const text = 'Unable to determine the device handle for GPU0000:41:00.0: Unknown Error\nGPU is lost.\nReboot the system.\n';
    const ctx = makeTestCtx({ rules: [{ match: () => true, result: exited(text, 15) }] });
    await expect(querySmi(ctx)).rejects.toThrow(
      'nvidia-smi failed with exit code 15: Unable to determine the device handle for GPU0000:41:00.0: Unknown Error GPU is lost.',
    );
  });
});
