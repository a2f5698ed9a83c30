/** The test run's own hygiene: temporary files under one directory that goes away, and a fresh dist/. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { distIsStale, isolateTmp, standinCache } from '../../global-setup.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-harness-'));
  made.push(dir);
  return dir;
};

describe('the run-wide temporary directory', () => {
  it('this worker writes its temporary files under the run directory that the global setup made', () => {
    const runDir = process.env.GPUCTL_TEST_RUN_DIR;
    expect(runDir).toMatch(/gpuctl-test-run-/);
    expect(tmpdir()).toBe(runDir);
  });

  it('the teardown removes the directory and everything tests left in it, and restores TMPDIR', () => {
    const base = scratch();
    const before = process.env.TMPDIR;
    const { dir, teardown } = isolateTmp(base);
    try {
      expect(process.env.TMPDIR).toBe(dir);
      const left = mkdtempSync(join(tmpdir(), 'gpuctl-proj-'));
      writeFileSync(join(left, 'fly.toml'), 'app = "x"\n');
    } finally {
      teardown();
    }
    expect(existsSync(dir)).toBe(false);
    expect(process.env.TMPDIR).toBe(before);
    process.env.GPUCTL_TEST_RUN_DIR = before;
  });
});

describe('distIsStale', () => {
  const project = (srcTime: number, distTime: number | null) => {
    const root = scratch();
    mkdirSync(join(root, 'src/deploy'), { recursive: true });
    writeFileSync(join(root, 'src/deploy/run.ts'), 'export {};\n');
    utimesSync(join(root, 'src/deploy/run.ts'), srcTime, srcTime);
    utimesSync(join(root, 'src/deploy'), srcTime - 10, srcTime - 10);
    utimesSync(join(root, 'src'), srcTime - 10, srcTime - 10);
    if (distTime !== null) {
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'dist/cli.js'), '');
      utimesSync(join(root, 'dist/cli.js'), distTime, distTime);
    }
    return root;
  };

  it('a source edited after the build makes dist stale; a build after the edit does not', () => {
    expect(distIsStale(project(2_000_000, 1_000_000))).toBe(true);
    expect(distIsStale(project(1_000_000, 2_000_000))).toBe(false);
  });

  it('no dist at all is stale', () => {
    expect(distIsStale(project(1_000_000, null))).toBe(true);
  });
});

describe('the stand-in bases cache', () => {
  it('is one directory for the whole run, outside the HOME each test file gets, so one debootstrap at a time', () => {
    const cache = process.env.GPUCTL_STANDIN_CACHE;
    expect(cache).toMatch(/^\//);
    expect(cache!.startsWith(process.env.HOME!)).toBe(false);
  });

  it("is GPUCTL_STANDIN_CACHE when set, else the script's default under XDG_CACHE_HOME or ~/.cache", () => {
    expect(standinCache({ GPUCTL_STANDIN_CACHE: '/srv/standins' }, '/home/u')).toBe('/srv/standins');
    expect(standinCache({ XDG_CACHE_HOME: '/var/cache/u' }, '/home/u')).toBe('/var/cache/u/gpuctl-dev/standins');
    expect(standinCache({ XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.cache/gpuctl-dev/standins');
    expect(standinCache({}, '/home/u')).toBe('/home/u/.cache/gpuctl-dev/standins');
  });
});
