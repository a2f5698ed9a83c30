/**
 * Test helper: create a fake flyctl state directory holding apps, machines, releases, volumes and
 * ssh replies, and read it back for assertions. Seeded records are built by the same code the fake
 * uses (model.mjs, appconfig.mjs), so they look exactly like deployed ones. Types: seed.d.mts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpServiceToMachine } from './appconfig.mjs';
import { guestForSize } from './catalog.mjs';
import { checkOutput, newApp, newMachine, newRelease, newVolume } from './model.mjs';
import { emptyState, loadState, rfc3339, saveState, withState, world } from './state.mjs';

const SEED_EMAIL = 'ops@example.com';

function seedMachine(w, app, spec, release) {
  const services =
    spec.services ??
    (spec.internalPort
      ? [
          httpServiceToMachine({
            internal_port: spec.internalPort,
            force_https: true,
            auto_stop_machines: spec.autostop ?? 'stop',
            auto_start_machines: true,
            min_machines_running: 0,
            checks:
              spec.healthPath === null
                ? []
                : [{ grace_period: '10s', interval: '15s', timeout: '5s', method: 'GET', path: spec.healthPath ?? '/health' }],
          }),
        ]
      : []);
  return newMachine(w, app, {
    id: spec.id,
    name: spec.name,
    region: spec.region ?? 'iad',
    state: spec.state ?? 'started',
    group: spec.group ?? 'app',
    guest: spec.guest ?? guestForSize(spec.size ?? 'shared-cpu-1x'),
    image: spec.image ?? release?.imageRef,
    release: spec.release === null || !release ? undefined : { id: release.id, version: release.version },
    env: spec.env,
    services,
    checks: spec.topLevelChecks ?? {},
    mounts: spec.mounts,
    metadata: spec.metadata,
    platformVersion: spec.platformVersion,
    checkStatus: spec.checks ?? 'passing',
  });
}

function seedApp(w, spec) {
  const app = newApp(w, { name: spec.name, org: spec.org ?? 'personal', network: spec.network ?? '' });
  const releaseSpecs =
    typeof spec.releases === 'number'
      ? Array.from({ length: spec.releases }, () => ({}))
      : (spec.releases ?? ((spec.machines ?? []).length > 0 ? [{}] : []));
  releaseSpecs.forEach((r, i) => {
    const version = r.version ?? i + 1;
    app.releases.push(
      newRelease(w, app, {
        version,
        imageRef: r.imageRef ?? `registry.fly.io/${spec.name}:deployment-v${version}`,
        status: r.status ?? 'complete',
        strategy: r.strategy ?? 'rolling',
        email: r.email ?? SEED_EMAIL,
      }),
    );
  });
  const latest = [...app.releases].filter((r) => r.status === 'complete').sort((a, b) => b.version - a.version)[0];
  for (const m of spec.machines ?? []) {
    const release = m.releaseVersion ? app.releases.find((r) => r.version === m.releaseVersion) : latest;
    app.machines.push(seedMachine(w, app, m, release));
  }
  for (const v of spec.volumes ?? []) {
    const volume = newVolume(w, { name: v.name, region: v.region ?? 'iad', sizeGb: v.sizeGb ?? 1 });
    if (v.attachedMachineId) volume.attached_machine_id = v.attachedMachineId;
    app.volumes.push(volume);
  }
  app.secrets = { ...(spec.secrets ?? {}) };
  app.sshResponses = { ...(spec.sshResponses ?? {}) };
  app.lastConfig = spec.config ?? (app.machines.length > 0 ? { app: spec.name } : undefined);
  const deployed = spec.deployed ?? (latest !== undefined && app.machines.some((m) => m.state !== 'destroyed'));
  app.deployed = deployed;
  app.status = spec.status ?? (deployed ? 'deployed' : 'pending');
  return app;
}

/** Creates (or extends) a state directory; returns helpers bound to it. */
export function seedFlyState(spec = {}, options = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'fake-flyctl-'));
  const state = emptyState();
  if (spec.now) state.now = spec.now;
  if (spec.orgs) state.orgs = spec.orgs.map((o) => ({ type: 'SHARED', paidPlan: false, ...o }));
  const w = world(state, {});
  for (const app of spec.apps ?? []) state.apps[app.name] = seedApp(w, app);
  saveState(dir, state);
  return flyState(dir);
}

/** Helpers over an existing state directory. */
export function flyState(dir) {
  return {
    dir,
    env: { FAKE_FLYCTL_STATE: dir },
    read: () => loadState(dir),
    app: (name) => loadState(dir).apps[name],
    machines: (name) => loadState(dir).apps[name]?.machines.filter((m) => m.state !== 'destroyed') ?? [],
    releases: (name) => [...(loadState(dir).apps[name]?.releases ?? [])].sort((a, b) => b.version - a.version),
    update: (fn) => withState(dir, (s) => fn(s)),
    setSshResponse: (appName, command, reply) =>
      withState(dir, (s) => {
        s.apps[appName].sshResponses[command] = { stdout: '', stderr: '', exitCode: 0, ...reply };
      }),
    setCheck: (appName, name, result, machineId) =>
      withState(dir, (s) => {
        for (const m of s.apps[appName].machines)
          for (const c of m.checks ?? []) if (c.name === name && (!machineId || m.id === machineId)) Object.assign(c, result);
      }),
    stopMachine: (appName, machineId, how = {}) =>
      withState(dir, (s) => {
        const m = s.apps[appName].machines.find((x) => x.id === machineId);
        const state = how.state ?? 'stopped';
        const at = Math.max(0, ...(m.events ?? []).map((e) => e.timestamp)) + 1000;
        m.state = state;
        m.checks = [];
        const exit = {
          exit_code: how.exitCode ?? 0,
          oom_killed: how.oomKilled ?? false,
          requested_stop: how.requested ?? true,
          exited_at: rfc3339(at),
        };
        // A stop (the proxy's autostop, `fly machine stop`) or a process that ended by itself: flyd's exit event.
        // A suspend leaves no exit event.
        const event =
          state === 'stopped' ? { type: 'exit', status: 'stopped', source: 'flyd', timestamp: at, request: { exit_event: exit } } : null;
        m.events = [...(event ? [event] : []), ...(m.events ?? [])].slice(0, 10);
      }),
    setChecks: (appName, status) =>
      withState(dir, (s) => {
        for (const m of s.apps[appName].machines)
          for (const c of m.checks ?? []) Object.assign(c, { status, output: checkOutput(m.config, c.name, status) });
      }),
  };
}
