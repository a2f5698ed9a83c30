/**
 * `npm ci` on a fresh clone (README "Set up") prints no advisory: every dependency the lockfile marks as
 * running an install script is reviewed in package.json's `allowScripts` (npm 11.16+ warns about the others,
 * and npm 12 skips their scripts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

const json = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

it("every package-lock entry with an install script is named in package.json's allowScripts", () => {
  const lock = json('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  expect(withScripts).toContain('esbuild'); // the lockfile is read: a filter that finds nothing would pass anything
  const allowed = (json('package.json').allowScripts ?? {}) as Record<string, boolean>;
  expect(withScripts.filter((name) => allowed[name] !== true)).toEqual([]);
});
