/**
 * Builders for the records kept in state.json, shared by the commands and by seed.mjs so seeded
 * and deployed machines look the same. Machines are stored in fly-go's JSON shape (snake_case, as
 * the Machines API returns them); apps, releases and volumes in the shapes documented in README.md.
 */
import * as id from './ids.mjs';
import { rfc3339 } from './state.mjs';

export const FLYCTL_VERSION = '0.4.87';

export function newApp(w, { name, org = 'personal', network = '' }) {
  return {
    name,
    id: name,
    internalNumericId: Number(id.numericId('app', name)),
    org,
    hostname: `${name}.fly.dev`,
    status: 'pending',
    deployed: false,
    network,
    createdAt: rfc3339(w.tick()),
    machines: [],
    releases: [],
    volumes: [],
    secrets: {},
    sshResponses: {},
  };
}

/** "registry.fly.io/app:tag" → fly-go MachineImageRef (docker hub names go through Fly's mirror). */
export function imageRef(image) {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > withoutDigest.lastIndexOf('/');
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : 'latest';
  const first = name.split('/')[0];
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker-hub-mirror.fly.io';
  let repository = hasRegistry ? name.slice(first.length + 1) : name;
  if (!hasRegistry && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag, digest: at >= 0 ? image.slice(at + 1) : id.imageDigest(image), labels: {} };
}

/** Check names as flyd reports them: servicecheck-NN-<type>-<port> for service checks, the key for top-level ones. */
export function checkNames(config) {
  const names = [];
  for (const service of config?.services ?? []) {
    (service.checks ?? []).forEach((check, i) => {
      names.push(`servicecheck-${String(i).padStart(2, '0')}-${check.type ?? 'tcp'}-${check.port ?? service.internal_port}`);
    });
  }
  for (const name of Object.keys(config?.checks ?? {}).sort()) names.push(name);
  return names;
}

/**
 * The `output` Fly reports for a check (docs/fly-operations.md, "What Fly puts in a check's output"): a refused
 * connection is `connect: connection refused` (community.fly.io/t/healthcheck-based-routing/12997). A passing HTTP
 * check's output is the body it was served, as is: flyctl reads the Postgres `role` http check's output as the role
 * itself (superfly/flyctl internal/command/postgres/postgres.go). The fake serves no application, so a passing check
 * other than the agent's /gpu-health keeps a placeholder text.
 */
export const CHECK_OUTPUT = { passing: 'Success', warning: 'Warning', critical: 'connect: connection refused' };

/** What `gpuctl agent` answers on /gpu-health when every GPU is fine (src/agent/server.ts: JSON and a newline). */
export const agentOkBody = (gpus) =>
  `${JSON.stringify({ status: 'ok', mode: gpus > 0 ? 'gpu' : 'cpu fallback', gpus, lastSampleAgeSeconds: 1, samplerRestarts: 0, failures: [] })}\n`;

/** One check's output: a passing HTTP check on /gpu-health shows the agent's body, as Fly shows a served body. */
export function checkOutput(config, name, status) {
  const check = config?.checks?.[name];
  if (status === 'passing' && check?.type === 'http' && check.path === '/gpu-health') return agentOkBody(config?.guest?.gpus ?? 0);
  return CHECK_OUTPUT[status] ?? status;
}

export function checkStatuses(config, status, at) {
  return checkNames(config).map((name) => ({ name, status, output: checkOutput(config, name, status), updated_at: rfc3339(at) }));
}

/**
 * A started (or `state`) v2 machine. spec: region, group, guest, image, release {id, version}, env,
 * services, checks (config map), mounts, restart, stop_config, init, standbys, metadata,
 * checkStatus ('passing' | 'warning' | 'critical'), platformVersion ('v2', or null for a machine
 * outside Fly Launch), state.
 */
export function newMachine(w, app, spec) {
  const n = w.next();
  const created = w.tick();
  const started = w.tick();
  const group = spec.group ?? 'app';
  const image = spec.image ?? `registry.fly.io/${app.name}:deployment-${id.ulid(created, 'tag', n)}`;
  const metadata = { ...(spec.metadata ?? {}) };
  if (spec.platformVersion !== null) metadata.fly_platform_version = spec.platformVersion ?? 'v2';
  metadata.fly_process_group = group;
  if (spec.release) {
    metadata.fly_release_id = spec.release.id;
    metadata.fly_release_version = String(spec.release.version);
  }
  metadata.fly_flyctl_version = FLYCTL_VERSION;
  const config = {
    env: { FLY_PROCESS_GROUP: group, ...(spec.env ?? {}) },
    init: spec.init ?? {},
    guest: spec.guest ?? { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
    metadata,
    mounts: spec.mounts ?? [],
    services: spec.services ?? [],
    checks: spec.checks ?? {},
    image,
    restart: spec.restart ?? { policy: 'on-failure', max_retries: 10 },
    stop_config: spec.stop_config ?? null,
    standbys: spec.standbys ?? [],
  };
  const state = spec.state ?? 'started';
  const events = [{ type: 'launch', status: 'created', source: 'user', timestamp: created }];
  if (state !== 'created') events.unshift({ type: 'start', status: 'started', source: 'flyd', timestamp: started });
  if (state === 'stopped') {
    events.unshift({
      type: 'exit',
      status: 'stopped',
      source: 'flyd',
      timestamp: started + 500,
      request: { exit_event: { requested_stop: true, exited_at: rfc3339(started) } },
    });
  }
  return {
    id: spec.id ?? id.hexId('machine', n),
    name: spec.name ?? id.machineName(n),
    state,
    region: spec.region ?? 'iad',
    image_ref: imageRef(image),
    instance_id: id.ulid(created, 'instance', n),
    private_ip: id.privateIp(app.name, n),
    created_at: rfc3339(created),
    updated_at: rfc3339(started),
    config,
    events,
    checks: state === 'started' ? checkStatuses(config, spec.checkStatus ?? 'passing', started) : [],
    host_status: 'ok',
  };
}

/** A release as the GraphQL API returns it (only the fields releasesUnprocessed asks for are set). */
export function newRelease(w, app, { version, imageRef: ref, status = 'complete', strategy = 'rolling', email }) {
  const n = w.next();
  return {
    id: id.releaseId(n),
    version,
    status,
    description: 'Release',
    reason: '',
    stable: status === 'complete',
    strategy,
    imageRef: ref,
    user: { id: id.releaseId(`user:${email}`), name: email.split('@')[0], email },
    createdAt: rfc3339(w.tick()),
  };
}

/** fly-go Volume. */
export function newVolume(w, { name, region, sizeGb = 1, encrypted = true, snapshotRetention = 5, autoBackup = true }) {
  const n = w.next();
  return {
    id: id.volumeId(n),
    name,
    state: 'created',
    size_gb: sizeGb,
    region,
    zone: id.zone(region, n),
    encrypted,
    attached_machine_id: null,
    attached_alloc_id: null,
    created_at: rfc3339(w.tick()),
    host_dedication_id: '',
    snapshot_retention: snapshotRetention,
    auto_backup_enabled: autoBackup,
  };
}
