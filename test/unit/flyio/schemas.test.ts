import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJson } from '../../../src/flyio/decode.js';
import { parseVersionJson, parseWhoamiJson } from '../../../src/flyio/flyctl.js';
import * as s from '../../../src/flyio/schemas.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/flyctl/${name}`, import.meta.url), 'utf8');
function decode<T>(name: string, schema: Parameters<typeof decodeJson>[1]): T {
  const decoded = decodeJson(fixture(name), schema);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value as T;
}

describe('flyctl JSON answers (synthetic fixtures written from the facts document in v0.4.87 shapes; the e2e tests decode the live output of the fake flyctl)', () => {
  it('status --json: app, release and machines with guest, image, release and checks', () => {
    const status = decode<s.FlyAppStatus>('status.json', s.statusSchema);
    expect(status).toMatchObject({
      name: 'quant-signals',
      hostname: 'quant-signals.fly.dev',
      deployed: true,
      releaseVersion: 7,
      orgSlug: 'quant-team',
    });
    expect(status.machines.map((m) => m.id)).toEqual(['e2865641be6d86', '3d8d9016b3d089']);
    expect(status.machines[0]).toMatchObject({
      region: 'ord',
      state: 'started',
      image: 'registry.fly.io/quant-signals:deployment-01JREL7',
      processGroup: 'app',
      platformVersion: 'v2',
      releaseVersion: 7,
      guest: { cpuKind: 'performance', cpus: 8, memoryMb: 32768, gpuKind: null, gpus: 0 },
      checks: [{ name: 'servicecheck-00-http-8080', status: 'passing', output: 'Success' }],
    });
  });

  it('machine list --json: a GPU guest keeps its kind', () => {
    const [gpu] = decode<s.FlyMachine[]>('machine-list-gpu.json', s.machineListSchema);
    expect(gpu?.guest).toEqual({ cpuKind: 'performance', cpus: 8, memoryMb: 32768, gpuKind: 'a100-pcie-40gb', gpus: 1 });
  });

  it('checks list --json: keyed by machine', () => {
    const checks = decode<s.FlyChecksByMachine>('checks-list.json', s.checksListSchema);
    expect(Object.keys(checks)).toEqual(['3d8d9016b3d089', 'e2865641be6d86']);
    expect(checks['3d8d9016b3d089']?.[0]?.status).toBe('passing');
  });

  it('scale show --json', () => {
    expect(decode('scale-show.json', s.scaleShowSchema)).toEqual([
      { group: 'app', count: 2, cpuKind: 'performance', cpus: 8, memoryMb: 32768, regions: { iad: 1, ord: 1 } },
    ]);
  });

  it('releases --json: newest first, with image refs', () => {
    const releases = decode<s.FlyRelease[]>('releases.json', s.releasesSchema);
    expect(releases.map((r) => [r.version, r.status, r.imageRef])).toEqual([
      [7, 'complete', 'registry.fly.io/quant-signals:deployment-01JREL7'],
      [6, 'complete', 'registry.fly.io/quant-signals:deployment-01JREL6'],
      [5, 'failed', 'registry.fly.io/quant-signals:deployment-01JREL5'],
    ]);
  });

  it('apps create / volumes create', () => {
    expect(decode('apps-create.json', s.appSchema)).toEqual({
      name: 'fresh-app',
      status: 'pending',
      deployed: false,
      hostname: 'fresh-app.fly.dev',
      orgSlug: 'quant-team',
    });
    expect(decode('volume-create.json', s.volumeSchema)).toMatchObject({ id: 'vol_4y2k8q1r0v9xn3wz', sizeGb: 100, region: 'ord' });
  });

  it('version and whoami (used by doctor too)', () => {
    expect(parseVersionJson(fixture('version.json'))).toEqual({ version: '0.4.87', commit: '9f1c2d3e', buildDate: '2026-08-20T14:02:11Z' });
    expect(parseVersionJson('{"Version":"dev"}')).toBeUndefined();
    expect(parseWhoamiJson(fixture('whoami.json'))).toBe('ops@example.com');
    expect(parseWhoamiJson('{"email":')).toBeUndefined();
  });
});
