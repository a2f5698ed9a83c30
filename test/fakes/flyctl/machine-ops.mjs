/**
 * Machine operations as the Machines API (flaps) performs them on the fake's state, with the
 * failures fly-go reports: a GPU guest is rejected with a 400 since 2026-08-01, and the `capacity`
 * fault makes placement fail with `insufficient_capacity` (fly-go flaps/flaps_error.go suggestion).
 */
import { isGpuGuest } from './catalog.mjs';
import { FlyError } from './errors.mjs';
import { requestId, ulid } from './ids.mjs';
import { checkStatuses, imageRef, newMachine } from './model.mjs';
import { rfc3339 } from './state.mjs';

export const GPU_REJECTED = 'GPU machines are no longer supported: config.guest.gpu_kind and config.guest.gpus must be unset';
export const CAPACITY = 'could not reserve resource for machine: insufficient memory available to fulfill request';
export const CAPACITY_SUGGESTION = 'Try choosing a different region for machine creation';

/**
 * FAKE_FLYCTL_GPU_API=before-retirement: the Machines API as it was before 2026-08-01, launching GPU guests. Not
 * today's Fly (which rejects them); only for tests of gpuctl paths that need a GPU machine to exist (deploy --verify-gpu).
 */
export const acceptsGpu = (ctx) => ctx.env.FAKE_FLYCTL_GPU_API === 'before-retirement'; // any other value: faults.mjs refuses it

/** The error flaps returns for a launch/update, or undefined when it would succeed. `action` is fly-go's wrapper. */
export function apiRejection(ctx, w, guest, action) {
  if (isGpuGuest(guest) && !acceptsGpu(ctx)) return new FlyError(`${action}: ${GPU_REJECTED}`);
  if (ctx.faults.has('capacity')) {
    return new FlyError(`${action}: ${CAPACITY}`, { requestId: requestId(w.tick(), w.next()), suggestion: CAPACITY_SUGGESTION });
  }
  return undefined;
}

/** The health the fake's checks report: critical under the `unhealthy` fault. */
export const healthOf = (ctx) => (ctx.faults.has('unhealthy') ? 'critical' : 'passing');

/** flaps Launch: a new machine in the app (throws the API's rejection instead). */
export function launchMachine(ctx, w, app, spec) {
  const rejection = apiRejection(ctx, w, spec.guest, 'failed to launch VM');
  if (rejection) throw rejection;
  const machine = newMachine(w, app, { ...spec, checkStatus: healthOf(ctx) });
  app.machines.push(machine);
  return machine;
}

/**
 * flaps Update: new config (image, release, guest…) on the same machine id, restarted; with
 * `changes.skipLaunch` (flyctl's LaunchMachineInput.SkipLaunch) updated but left in its state, checks as they were.
 */
export function updateMachine(ctx, w, app, machine, changes) {
  const guest = changes.guest ?? machine.config.guest;
  const rejection = apiRejection(ctx, w, guest, `failed to update VM ${machine.id}`);
  if (rejection) throw rejection;
  const at = w.tick();
  const image = changes.image ?? machine.config.image;
  machine.config = {
    ...machine.config,
    ...changes.config,
    guest,
    image,
    metadata: { ...machine.config.metadata, ...(changes.metadata ?? {}) },
  };
  machine.image_ref = imageRef(image);
  machine.instance_id = ulid(at, 'instance', w.next());
  machine.updated_at = rfc3339(at);
  if (changes.skipLaunch) {
    machine.events = [{ type: 'update', status: machine.state, source: 'user', timestamp: at }, ...(machine.events ?? [])].slice(0, 10);
    return machine;
  }
  machine.state = 'started';
  machine.events = [
    { type: 'start', status: 'started', source: 'flyd', timestamp: at + 500 },
    { type: 'update', status: 'replacing', source: 'user', timestamp: at },
    ...(machine.events ?? []),
  ].slice(0, 10);
  machine.checks = checkStatuses(machine.config, healthOf(ctx), at);
  return machine;
}

/** flaps Destroy. */
export function destroyMachine(w, machine) {
  const at = w.tick();
  machine.state = 'destroyed';
  machine.updated_at = rfc3339(at);
  machine.checks = [];
  machine.events = [{ type: 'destroy', status: 'destroyed', source: 'user', timestamp: at }, ...(machine.events ?? [])].slice(0, 10);
}

export const processGroup = (m) => m.config?.metadata?.fly_process_group ?? '';
export const formattedId = (m) => (processGroup(m) ? `${m.id} [${processGroup(m)}]` : m.id);

/** flaps ListFlyAppsMachines: active v2 machines, without release-command and console machines. */
export const flyAppsMachines = (app) =>
  app.machines.filter(
    (m) =>
      m.state !== 'destroyed' &&
      m.state !== 'destroying' &&
      m.config?.metadata?.fly_platform_version === 'v2' &&
      !['fly_app_release_command', 'fly_app_console'].includes(processGroup(m)),
  );

/**
 * flyctl's non-interactive status logger (internal/statuslogger/noninteractive.go): each line is
 * "<glyph> [i/n] text" with glyphs " ", ">", "✔", "✖"; numbers only when there is more than one line.
 */
export function statusLogger(ctx, total) {
  const glyphs = { none: ' ', running: '>', success: '✔', failure: '✖' };
  const status = Array(total).fill('none');
  const pad = String(total).length;
  return {
    log(i, text, newStatus) {
      if (newStatus) status[i] = newStatus;
      const number = total > 1 ? `[${String(i + 1).padStart(pad, '0')}/${total}] ` : '';
      ctx.out(`${glyphs[status[i]]} ${number}${text}\n`);
    },
  };
}
