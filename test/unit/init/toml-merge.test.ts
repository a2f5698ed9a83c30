import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, test } from 'vitest';
import { resolveInputs, type InitChoices } from '../../../src/init/inputs.js';
import { ownCommentPatterns, renderData, renderFlyToml } from '../../../src/init/render.js';
import { loadTemplates } from '../../../src/init/templates.js';
import { mergeFlyToml } from '../../../src/init/toml-merge.js';
import { validateFiles } from '../../../src/validate/index.js';
import { FIXTURES } from '../../helpers/cli.js';

const templates = loadTemplates();
const rendered = (choices: InitChoices) => renderFlyToml(templates, renderData(resolveInputs([choices], 'demo'), 'demo'));
const cpu: InitChoices = { target: { kind: 'cpu', vmSize: 'performance-8x' }, workload: 'inference', app: 'my-ollama' };

const own = ownCommentPatterns(templates);

function merged(existing: string, choices: InitChoices = cpu, text = rendered(choices)): string {
  const result = mergeFlyToml(existing, text, own);
  if (!result.ok) throw new Error(result.reason);
  return result.text;
}

const BLOG = readFileSync(join(FIXTURES, 'validate/real-world/04-ollama-blog-gpu.fly.toml'), 'utf8');

describe('merging into a file gpuctl rendered', () => {
  const golden = readdirSync(join(FIXTURES, 'init')).map((name) => join(FIXTURES, 'init', name, 'expected', 'fly.toml'));
  test.each(golden)('%s merged with itself is unchanged', (path) => {
    const text = readFileSync(path, 'utf8');
    expect(mergeFlyToml(text, text)).toEqual({ ok: true, text });
    expect(mergeFlyToml(text, text, own)).toEqual({ ok: true, text });
  });

  test("a GPU layout becomes the CPU layout: gpu keys and gpuctl's GPU comments go, the user's comments and keys stay", () => {
    const gpu = rendered({ ...cpu, target: { kind: 'gpu', gpuKind: 'l40s' } });
    const ours = (text: string) =>
      text
        .replace("  GPUCTL_PORT = '8080'", "  GPUCTL_PORT = '8080'\n  HF_HOME = '/models/hf' # ours")
        .replace('[http_service]\n', '# Our own note: the proxy in front expects 8080.\n[http_service]\n');
    const edited = ours(gpu);
    const out = merged(edited);
    // Exactly the comments init writes for the CPU layout, plus the user's.
    const comments = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#'));
    expect(comments(out)).toEqual(comments(ours(rendered(cpu))));
    expect(out).not.toContain('This GPU layout no longer deploys on Fly');
    expect(out).not.toContain('# NVIDIA L40S');
    expect(out).not.toContain('# !!');
    const doc = parse(out) as { vm: Array<Record<string, unknown>>; env: Record<string, string> };
    expect(doc.vm).toEqual([{ size: 'performance-8x', memory: '16gb' }]);
    expect(doc.env.HF_HOME).toBe('/models/hf');
    expect(doc.env.GPUCTL_GPU_MEMORY_FRACTION).toBeUndefined();
    expect(out).toContain("HF_HOME = '/models/hf' # ours");
    expect(out).toContain('# Our own note: the proxy in front expects 8080.');
    expect(validateFiles({ flyToml: { path: 'fly.toml', text: out } })).toEqual([]);
  });
});

test('the CPU layout turned back into a GPU one gets the GPU header and comments again', () => {
  const gpuChoices: InitChoices = { ...cpu, target: { kind: 'gpu', gpuKind: 'l40s' } };
  const comments = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#'));
  expect(comments(merged(rendered(cpu), gpuChoices))).toEqual(comments(rendered(gpuChoices)));
});

describe('merging into a hand-written file', () => {
  const out = merged(BLOG);

  test('keeps the comments, the quoting and the keys gpuctl does not manage', () => {
    expect(out.startsWith('# Copied from a 2024 blog post')).toBe(true);
    expect(out).toContain('app = "my-ollama"');
    expect(out).toContain('[build]\n  image = "ollama/ollama"');
    expect(out).toContain('  processes = ["app"]');
  });

  test('replaces values in place and adds what is missing next to its parent', () => {
    expect(out).toContain("[[vm]]\n  size = 'performance-8x'\n  memory = '16gb'");
    expect(out).toContain("  internal_port = 8080\n  force_https = true\n  auto_stop_machines = 'off'");
    expect(out.indexOf('[[http_service.checks]]')).toBeGreaterThan(out.indexOf('[http_service]'));
    expect(out.indexOf('[[http_service.checks]]')).toBeLessThan(out.indexOf('[[vm]]'));
  });

  test('produces a file that matches the rendered values and validates clean', () => {
    const want = parse(rendered(cpu)) as Record<string, unknown>;
    const got = parse(out) as Record<string, unknown>;
    for (const key of ['env', 'deploy', 'checks', 'vm', 'metrics', 'kill_timeout', 'swap_size_mb'])
      expect(got[key], key).toEqual(want[key]);
    expect([got.mounts].flat()).toEqual(want.mounts); // still the user's [mounts] table form, which flyctl reads as one mount
    expect(got.http_service).toEqual({ ...(want.http_service as object), processes: ['app'] }); // the user's key stays
    expect(validateFiles({ flyToml: { path: 'fly.toml', text: out } })).toEqual([]);
  });

  test('is idempotent', () => {
    expect(merged(out)).toBe(out);
  });

  test('keeps a trailing comment on a replaced value', () => {
    const text = merged(`${BLOG}`.replace('internal_port = 11434', 'internal_port = 11434 # ollama default'));
    expect(text).toContain('internal_port = 8080 # ollama default');
  });

  test('adds root keys before the first table even when the file has none', () => {
    const text = merged('# only a comment\n\n[env]\n  A = "1"\n');
    expect(text.indexOf("app = 'my-ollama'")).toBeLessThan(text.indexOf('[env]'));
    expect(parse(text)).toMatchObject({ app: 'my-ollama', env: { A: '1' } });
  });
});

describe('what it refuses to guess', () => {
  test('an inline table', () => {
    const result = mergeFlyToml('app = "x"\nhttp_service = { internal_port = 80 }\n', rendered(cpu));
    expect(result).toEqual({ ok: false, reason: '[http_service] is written inline or with dotted keys' });
  });

  test('a file that is not TOML', () => {
    const broken = mergeFlyToml('app = "x"\n[vm\n', rendered(cpu));
    expect(broken.ok).toBe(false);
    // The one problem text of the fly.toml reader, as validate and deploy say it.
    expect(!broken.ok && broken.reason).toMatch(/^fly\.toml:2:4: Not valid TOML: /);
  });
});

describe('merging into a file `init --for-local-gpu` rendered', () => {
  const local = (name: string) => readFileSync(join(FIXTURES, 'init-local', name, 'expected', 'fly.toml'), 'utf8');
  const comments = (text: string) => text.split('\n').filter((line) => line.trim().startsWith('#'));
  const note = (text: string) =>
    text.replace('[http_service]\n', '# Our own note:\n#\n# the proxy in front expects 8080.\n[http_service]\n');

  test("another machine's GPU replaces the old machine's notice; the user's comments stay", () => {
    const out = merged(note(local('a10-backtest')), {}, local('h100-batch'));
    expect(comments(out)).toEqual(comments(note(local('h100-batch'))));
    expect(out).not.toContain('NVIDIA A10');
  });

  test('the plain CPU layout drops the notice about a compose.yaml for this machine', () => {
    const choices: InitChoices = { workload: 'backtest', app: 'golden-app' };
    const out = merged(local('a10-backtest'), choices);
    expect(comments(out)).toEqual(comments(rendered(choices)));
    expect(out).not.toContain('compose.yaml');
  });
});
