/**
 * The CPU layout keeps the GPU guest's memory: every GPU stop names an init command (flyio/cpu-layout.ts), and running
 * that command, as a person would copy it, writes the memory the stop's [[vm]] block gives. Built CLI, no fakes needed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'smol-toml';
import type { ValidateJson } from '../../src/validate/run.js';
import { runGpuctl } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'gpuctl-e2e-init-memory-'));
const vmOf = (dir: string) => (parse(readFileSync(join(dir, 'fly.toml'), 'utf8')) as { vm: Array<Record<string, unknown>> }).vm[0];

/** The `gpuctl init ...` a text names in backquotes, as argv (its words have no spaces of their own). */
function namedInit(text: string): string[] {
  const command = /`(gpuctl init [^`]+)`/.exec(text)?.[1];
  expect(command, text).toBeDefined();
  return command!.split(' ').slice(1);
}

describe('init --memory: the CPU layout with the memory a GPU stop keeps', () => {
  test("an init GPU layout's own command rewrites it as the CPU layout with the same 32 GB", async () => {
    const cwd = fresh();
    const gpu = await runGpuctl(['init', '--gpu-kind', 'a10', '--yes'], { cwd });
    expect(gpu.exitCode, gpu.stderr).toBe(0);
    expect(vmOf(cwd)).toMatchObject({ gpu_kind: 'a10', memory: '32gb' });
    const args = namedInit(readFileSync(join(cwd, 'fly.toml'), 'utf8'));
    expect(args).toEqual(['init', '--vm-size', 'performance-8x', '--memory', '32768', '--force']);
    const cpu = await runGpuctl([...args, '--yes'], { cwd });
    expect(cpu.exitCode, cpu.stderr).toBe(0);
    expect(vmOf(cwd)).toEqual({ size: 'performance-8x', memory: '32gb' });
    // Recorded (performance-8x is the default size, so only the memory): init again with no flags reproduces the files.
    expect((JSON.parse(readFileSync(join(cwd, '.gpuctl.json'), 'utf8')) as { init: unknown }).init).toEqual({ memory: 32768 });
    const again = await runGpuctl(['init', '--yes', '--json'], { cwd });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(new Set((JSON.parse(again.stdout) as { files: Array<{ status: string }> }).files.map((f) => f.status))).toEqual(
      new Set(['identical']),
    );
  });

  test("validate's fix for a hand-written GPU preset names the command that writes the preset's 32 GB", async () => {
    const cwd = fresh();
    writeFileSync(join(cwd, 'fly.toml'), "app = 'my-model'\nprimary_region = 'ord'\n\n[[vm]]\n  size = 'a100-40gb'\n");
    const run = await runGpuctl(['validate', '--json'], { cwd });
    const fix = (JSON.parse(run.stdout) as ValidateJson).findings.find((f) => f.id === 'fly-gpu-retired')?.fix ?? '';
    expect(fix).toContain("memory = '32gb'");
    const init = await runGpuctl([...namedInit(fix), '--yes'], { cwd });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(vmOf(cwd)).toEqual({ size: 'performance-8x', memory: '32gb' });
  });

  test('memory a size or workload cannot have is refused before anything is written (exit 2)', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--vm-size', 'performance-2x', '--memory', '32768'], /--memory 32768 does not fit performance-2x[\s\S]*from 4096 to 16384 MB/],
      [['--vm-size', 'performance-8x', '--memory', '20000'], /--memory 20000 does not fit performance-8x[\s\S]*multiple of 256/],
      [['--vm-size', 'performance-1x', '--memory', '2048'], /less than the inference profile needs \(4096 MB\)/],
      [['--gpu-kind', 'l40s', '--memory', '65536'], /--memory sets the CPU layout's memory/],
      [['--memory', '32gb'], /The memory \(MB\) must be a whole number/],
    ];
    for (const [flags, message] of cases) {
      const cwd = fresh();
      const run = await runGpuctl(['init', '--yes', ...flags], { cwd });
      expect([run.exitCode, run.stderr], flags.join(' ')).toEqual([2, expect.stringMatching(message)]);
      expect(() => readFileSync(join(cwd, 'fly.toml')), flags.join(' ')).toThrow(/ENOENT/);
    }
  });
});
