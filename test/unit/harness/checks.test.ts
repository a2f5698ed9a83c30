/**
 * scripts/checks.mjs, `npm test`'s static checks side by side: each step's output as one block with its
 * verdict, every step run to its end, exit 1 when any failed. Run on a scratch package.json whose scripts
 * are small node programs, through the real npm.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gpuctl-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const node = (code: string) => `node -e "${code}"`;
writeFileSync(
  join(dir, 'package.json'),
  JSON.stringify({
    name: 'checks-fixture',
    private: true,
    scripts: {
      // Two lines half a second apart: another step's output written meanwhile must not land between them.
      slow: node("console.log('slow one'); setTimeout(() => console.log('slow two'), 500)"),
      quick: node("console.log('quick'); console.error('quick to stderr')"),
      broken: node("console.error('broken: 2 problems'); process.exit(3)"),
      'after-broken': node("setTimeout(() => console.log('still ran'), 300)"),
    },
  }),
);
const checks = (...steps: string[]) =>
  execa(process.execPath, [join(ROOT, 'scripts/checks.mjs'), ...steps], { cwd: dir, reject: false, timeout: 60_000, all: true });

describe('scripts/checks.mjs', () => {
  it('runs the steps at once and prints each one as a block with its verdict and time; exit 0', async () => {
    const run = await checks('slow', 'quick');
    expect(run.exitCode, run.all).toBe(0);
    // Each block whole, whichever ended first: the quick step's lines never land between the slow one's.
    expect(run.all).toMatch(/^── npm run quick: ok, \d+\.\d s\nquick\nquick to stderr$/m);
    expect(run.all).toMatch(/^── npm run slow: ok, \d+\.\d s\nslow one\nslow two$/m);
    expect(run.all.split('\n').filter((line) => line.startsWith('──'))).toHaveLength(2);
  });

  it('a failing step is named with its exit code and output; the others still run to the end; exit 1', async () => {
    const run = await checks('broken', 'after-broken');
    expect(run.exitCode).toBe(1);
    expect(run.all).toMatch(/── npm run broken: FAILED \(exit 3\), \d+\.\d s\nbroken: 2 problems\n/);
    expect(run.all).toMatch(/── npm run after-broken: ok, \d+\.\d s\nstill ran$/m);
    expect(run.stderr).toContain('checks: broken failed');
  });

  it('without a step: usage, exit 2', async () => {
    const run = await checks();
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('usage: node scripts/checks.mjs NPM_SCRIPT...');
  });
});
