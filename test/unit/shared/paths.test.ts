/** The one resolver of the XDG directories and the one package-root finder (issue 22). */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { gpuctlDir, packageRoot, xdgHome } from '../../../src/shared/paths.js';

describe('xdgHome', () => {
  it.each([
    ['state', 'XDG_STATE_HOME', '/h/.local/state'],
    ['cache', 'XDG_CACHE_HOME', '/h/.cache'],
    ['config', 'XDG_CONFIG_HOME', '/h/.config'],
  ] as const)('%s: $%s when absolute, else %s', (kind, variable, fallback) => {
    expect(xdgHome({ [variable]: '/x', HOME: '/h' }, kind)).toBe('/x');
    expect(xdgHome({ HOME: '/h' }, kind)).toBe(fallback);
    expect(xdgHome({ [variable]: '', HOME: '/h' }, kind)).toBe(fallback);
    // The XDG Base Directory spec: a relative path is invalid and ignored.
    expect(xdgHome({ [variable]: 'relative/dir', HOME: '/h' }, kind)).toBe(fallback);
  });

  it("without HOME: the OS's home directory, or undefined when the caller gives no home", () => {
    expect(xdgHome({}, 'cache')).toBe(join(homedir(), '.cache'));
    expect(xdgHome({}, 'state', undefined)).toBeUndefined();
    expect(xdgHome({ XDG_STATE_HOME: '/s' }, 'state', undefined)).toBe('/s');
  });

  it("HOME set but empty (so os.homedir() is empty too): the user database's home, never a relative .cache in the working directory", () => {
    vi.stubEnv('HOME', '');
    try {
      expect(homedir()).toBe('');
      expect(xdgHome({ HOME: '' }, 'cache')).toBe(join(userInfo().homedir, '.cache'));
      expect(isAbsolute(gpuctlDir({ HOME: '' }, 'state', 'logs'))).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("gpuctlDir is gpuctl's own directory in one of them", () => {
    expect(gpuctlDir({ XDG_STATE_HOME: '/s' }, 'state', 'logs')).toBe('/s/gpuctl/logs');
    expect(gpuctlDir({ HOME: '/h' }, 'cache', 'fly-regions.json')).toBe('/h/.cache/gpuctl/fly-regions.json');
  });
});

describe('packageRoot', () => {
  it("walks up to the package.json named gpuctl, past another package's", () => {
    const root = mkdtempSync(join(tmpdir(), 'root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'gpuctl' }));
    mkdirSync(join(root, 'dist', 'chunks'), { recursive: true });
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'other' }));
    expect(packageRoot(join(root, 'dist', 'chunks', 'x.js'))).toBe(root);
  });

  it('throws naming where it looked when there is none', () => {
    expect(() => packageRoot('/nowhere/at/all.js')).toThrow("gpuctl's package.json not found above /nowhere/at/all.js");
  });
});
