import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { ExportOptions } from '../../../src/autoscale/options.js';
import { renderFlyAutoscalerToml, targetQuery, toFlyAutoscaler } from '../../../src/autoscale/export.js';
import { renderExport, runExport } from '../../../src/autoscale/export-run.js';
import { parsePolicy } from '../../../src/autoscale/policy.js';
import { parseExport } from '../../../src/commands/autoscale.js';
import { UsageError } from '../../../src/errors.js';
import { makeTestCtx } from '../../helpers/ctx.js';
import { policy } from './helpers.js';

const EXAMPLE = new URL('../../../examples/autoscale.toml', import.meta.url).pathname;
const example = parsePolicy(readFileSync(EXAMPLE, 'utf8'));

describe('autoscale export --to fly-autoscaler', () => {
  // issue 18: `app = "x\n[[services]]…"` was written unescaped into comment lines and injected TOML.
  it('no value can end a comment line or a string', () => {
    const evil = { ...example, app: 'x\n[[services]]\ninternal_port = 1', group: 'g\r\n[x]' };
    const toml = parse(renderFlyAutoscalerToml(evil, 'my-org', 'dir\n[evil]/p.toml')) as Record<string, unknown>;
    expect(Object.keys(toml).sort()).toEqual(['app', 'build', 'env', 'metrics']);
    expect(toml.app).toBe('x\n[[services]]\ninternal_port = 1-autoscaler');
  });

  it("writes fly-autoscaler's FAS_* variables into a fly.toml that parses", () => {
    const toml = parse(renderFlyAutoscalerToml(example, 'my-org', 'autoscale.toml')) as {
      app: string;
      build: { image: string };
      env: Record<string, string>;
      metrics: { port: number };
    };
    expect(toml.app).toBe('quant-signals-autoscaler');
    expect(toml.build.image).toBe('flyio/fly-autoscaler:0.3');
    expect(toml.metrics.port).toBe(9090);
    expect(toml.env).toEqual({
      FAS_APP_NAME: 'quant-signals',
      FAS_ORG: 'my-org',
      FAS_PROCESS_GROUP: 'app',
      FAS_REGIONS: 'ord,iad',
      FAS_CREATED_MACHINE_COUNT: 'max(1.0, min(6.0, gpuctl_target))',
      FAS_INTERVAL: '15s',
      FAS_PROMETHEUS_ADDRESS: 'https://api.fly.io/prometheus/my-org',
      FAS_PROMETHEUS_METRIC_NAME: 'gpuctl_target',
      FAS_PROMETHEUS_QUERY: targetQuery(example),
    });
    // Never a token in the file: they are secrets set with fly secrets set.
    expect(Object.keys(toml.env)).not.toContain('FAS_API_TOKEN');
    expect(Object.keys(toml.env)).not.toContain('FAS_PROMETHEUS_TOKEN');
  });

  it('folds the rules into one query: windows as subqueries, thresholds as bool terms', () => {
    const q = targetQuery(example);
    expect(q).toContain('min_over_time((avg(DCGM_FI_DEV_GPU_UTIL{app="$APP_NAME"}))[300s:15s]) > bool 80');
    expect(q).toContain('max_over_time((avg(DCGM_FI_DEV_GPU_UTIL{app="$APP_NAME"}))[900s:15s]) < bool 30');
    expect(q).toContain('[30s:15s]) > bool 95) * 2 + (1 - ');
    expect(q).toContain('> bool 0.02');
    expect(q).toContain('> bool 0.25');
    const plain = targetQuery(policy());
    expect(plain).not.toContain('clamp_max');
    expect(plain).not.toContain('95');
  });

  it('names what it cannot express instead of dropping it', () => {
    const { unsupported } = toFlyAutoscaler(example, undefined);
    expect(unsupported.join('\n')).toMatch(/schedule NYSE \(mon,tue,wed,thu,fri 09:30-16:00 America\/New_York, warm-up 15 min, min 3\)/);
    expect(unsupported.join('\n')).toMatch(/cooldowns \(up 180s, down 600s\)/);
    expect(unsupported.join('\n')).toMatch(/emergency cooldown/);
    const text = renderFlyAutoscalerToml(example, undefined, 'autoscale.toml');
    expect(text).toContain('# NOT EXPRESSIBLE in fly-autoscaler');
    expect(text).toContain("FAS_PROMETHEUS_ADDRESS = 'https://api.fly.io/prometheus/<org>'");
    expect(toFlyAutoscaler(policy('min = 0', BASE0), undefined).unsupported.join('\n')).toMatch(/never destroys the last machine/);
    expect(toFlyAutoscaler(policy('[metric]\nquery = "avg(x{job=~\\"a$\\"})"'), undefined).unsupported.join('\n')).toMatch(/os\.Expand/);
  });

  it('writes a file: created, identical, refused without --force (with the diff), replaced with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-export-'));
    const out = join(dir, 'fly.toml');
    const options: ExportOptions = { policy: EXAMPLE, app: undefined, to: 'fly-autoscaler', org: 'my-org', out, force: false };
    const ctx = makeTestCtx();
    const created = await runExport(ctx, options);
    expect(created).toMatchObject({ schemaVersion: 1, file: out, status: 'created' });
    expect(renderExport(created)).toBe(`created   ${out}\n`);
    expect(ctx.out()).toBe(''); // the command prints the result, not the feature
    const written = readFileSync(out, 'utf8');
    expect((await runExport(ctx, options)).status).toBe('identical');
    writeFileSync(out, written.replace("FAS_INTERVAL = '15s'", "FAS_INTERVAL = '1m'"));
    const patches: string[] = []; // the command prints each on stderr
    await expect(runExport(ctx, options, { diff: (patch) => patches.push(patch) })).rejects.toThrow(/exists and differs/);
    expect(patches).toHaveLength(1);
    expect(patches[0]).toContain("-  FAS_INTERVAL = '1m'");
    expect(patches[0]).toContain("+  FAS_INTERVAL = '15s'");
    expect(readFileSync(out, 'utf8')).toContain("'1m'");
    expect((await runExport(ctx, { ...options, force: true })).status).toBe('replaced');
    expect(readFileSync(out, 'utf8')).toBe(written);
  });

  it("-o into a directory that does not exist yet (--help's autoscaler/fly.toml) creates it; a path through a file is said in words (not a bare ENOTDIR)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuctl-export-'));
    const options: ExportOptions = {
      policy: EXAMPLE,
      app: undefined,
      to: 'fly-autoscaler',
      org: 'my-org',
      out: 'autoscaler/fly.toml',
      force: false,
    };
    const ctx = { ...makeTestCtx(), cwd: dir };
    expect(await runExport(ctx, options)).toMatchObject({ file: 'autoscaler/fly.toml', status: 'created' });
    expect(readFileSync(join(dir, 'autoscaler/fly.toml'), 'utf8')).toContain("app = 'quant-signals-autoscaler'");
    writeFileSync(join(dir, 'file'), '');
    await expect(runExport(ctx, { ...options, out: 'file/fly.toml' })).rejects.toThrow(
      `Cannot read ${join(dir, 'file/fly.toml')}: not a directory (ENOTDIR).`,
    );
  });
});

const BASE0 = `
app = "a"
max = 3
[scale_up]
above = 80
for = "1m"
[scale_down]
below = 30
for = "2m"
`;

// An org with a space or a quote went into FAS_ORG and the Prometheus URL as given (https://api.fly.io/prometheus/my org).
it('--org must be an organisation slug: it becomes a path in the Prometheus URL', () => {
  const raw = (org: string) => ({ args: [], opts: { policy: 'autoscale.toml', org } }) as unknown as Parameters<typeof parseExport>[0];
  expect(parseExport(raw('my-org')).org).toBe('my-org');
  expect(() => parseExport(raw('my org'))).toThrow('--org "my org" is not a Fly.io organisation slug.');
  expect(() => parseExport(raw('a/b'))).toThrow(UsageError);
});
