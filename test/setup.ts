// Runs before every test file: no test may depend on the developer's own environment.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'gpuctl-test-home-'));
process.env.HOME = home;
process.env.XDG_CACHE_HOME = join(home, '.cache');
process.env.XDG_STATE_HOME = join(home, '.state');
delete process.env.CI;
delete process.env.GITHUB_ACTIONS;
delete process.env.GITHUB_STEP_SUMMARY;
delete process.env.FLY_API_TOKEN;
delete process.env.FLY_ACCESS_TOKEN;
