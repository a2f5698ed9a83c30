/**
 * The machines half of `fly deploy` (internal/command/deploy/machines*.go, deploy_first.go) run
 * against the fake's state, printing what flyctl prints when not on a TTY. Waiting is simulated:
 * a machine is healthy at once, or (fault `unhealthy`) its checks stay critical and the wait
 * "times out" immediately with flyctl's error.
 */
import { guestForGroup, machineConfigForGroup, mountsForGroup, processNames } from './appconfig.mjs';
import { FlyError } from './errors.mjs';
import { digest } from './ids.mjs';
import {
  destroyMachine,
  flyAppsMachines,
  formattedId,
  healthOf,
  launchMachine,
  processGroup,
  statusLogger,
  updateMachine,
} from './machine-ops.mjs';
import { newVolume } from './model.mjs';

const healthTimeout = (m) =>
  new FlyError(`timeout reached waiting for health checks to pass for machine ${m.id}: context deadline exceeded`);

/** A machine with checks under the `unhealthy` fault never becomes healthy. */
function waitHealthy(ctx, plan, machine) {
  if (plan.detach) return;
  if (healthOf(ctx) === 'critical' && (machine.checks ?? []).length > 0) throw healthTimeout(machine);
}

function provisionFirstDeploy(ctx, w, app, plan) {
  const groups = processNames(plan.cfg);
  const hasServices = groups.some((g) => machineConfigForGroup(plan.cfg, g).services.length > 0);
  if (hasServices && !(app.ips ?? []).length) {
    const h = digest('ip', app.name);
    app.ips = [`2a09:8280:1::${h.readUInt16BE(0).toString(16)}:${h.readUInt16BE(2).toString(16)}:0`, `66.241.124.${(h[4] % 250) + 2}`];
    ctx.out(
      `Provisioning ips for ${app.name}\n  Dedicated ipv6: ${app.ips[0]}\n  Shared ipv4: ${app.ips[1]}\n  Add a dedicated ipv4 with: fly ips allocate-v4\n\n`,
    );
  }
  for (const group of groups) {
    for (const mount of mountsForGroup(plan.cfg, group)) {
      if (app.volumes.some((v) => v.name === mount.source && !v.attached_machine_id)) continue;
      const guest = guestForGroup(plan.cfg, group) ?? plan.guest;
      const size = mount.initial_size
        ? Number.parseInt(String(mount.initial_size), 10)
        : plan.volumeInitialSize || (guest.gpu_kind ? 100 : 1);
      ctx.out(
        `Creating a ${size} GB volume named '${mount.source}' for process group '${group}'. Use 'fly vol extend' to increase its size\n`,
      );
      app.volumes.push(newVolume(w, { name: mount.source, region: plan.region, sizeGb: size }));
    }
  }
}

function launchSpec(plan, group, release, app) {
  const config = machineConfigForGroup(plan.cfg, group);
  const spec = {
    ...config,
    env: { ...config.env, ...plan.env },
    group,
    region: plan.region,
    guest: guestForGroup(plan.cfg, group) ?? plan.guest,
    image: plan.image,
    release,
  };
  if (config.mounts.length > 0) {
    const volume = app.volumes.find((v) => v.name === config.mounts[0].name && !v.attached_machine_id && v.region === plan.region);
    if (!volume)
      throw new FlyError(
        `New machine in group '${group}' needs an unattached volume named '${config.mounts[0].name}' in region '${plan.region}'`,
      );
    spec.mounts = [{ ...config.mounts[0], volume: volume.id, encrypted: volume.encrypted, size_gb: volume.size_gb }];
    spec.volume = volume;
  }
  return spec;
}

function spawn(ctx, w, app, plan, group, release, standbyFor) {
  const spec = launchSpec(plan, group, release, app);
  if (standbyFor) {
    spec.standbys = [standbyFor.id];
    spec.env = { ...spec.env, FLY_STANDBY_FOR: standbyFor.id };
    spec.state = 'stopped';
  }
  let machine;
  try {
    machine = launchMachine(ctx, w, app, spec);
  } catch (error) {
    error.message = `error creating a new machine: ${error.message}`;
    throw error;
  }
  if (spec.volume) spec.volume.attached_machine_id = machine.id;
  return machine;
}

function createForGroups(ctx, w, app, plan, groups, release) {
  const sl = statusLogger(ctx, groups.length);
  groups.forEach((group, i) => {
    sl.log(i, 'Launching new machine', 'running');
    ctx.out(`No machines in group ${group}, launching a new machine\n`);
    const step = (standbyFor) => {
      const m = spawn(ctx, w, app, plan, group, release, standbyFor);
      sl.log(i, `Machine ${formattedId(m)} was created`);
      if (m.state === 'stopped') return m;
      waitHealthy(ctx, plan, m);
      sl.log(i, `Machine ${formattedId(m)} update finished: success`, 'success');
      return m;
    };
    try {
      const first = step();
      const cfg = machineConfigForGroup(plan.cfg, group);
      if (!plan.ha || cfg.mounts.length > 0) return;
      if (cfg.services.length > 0) {
        ctx.out(
          'Creating a second machine for high availability and zero downtime deployments.\nTo disable this, set "min_machines_running = 0" in your fly.toml.\n',
        );
        step();
      } else {
        ctx.out(`Creating a standby machine for ${first.id}\n`);
        step(first);
      }
    } catch (error) {
      sl.log(i, `Failed: ${error.message.split('\n')[0]}`, 'failure');
      throw error;
    }
  });
  if (groups.length > 0) ctx.err('Finished launching new machines\n');
  // The proxy applies the most restrictive autostop of a group's services (off < stop < suspend).
  const rank = (v) => (v === 'suspend' ? 2 : v === true ? 1 : 0);
  for (const [level, verb, done] of [
    [1, 'stop', 'stopped'],
    [2, 'suspend', 'suspended'],
  ]) {
    const idle = groups.filter((g) => {
      const services = machineConfigForGroup(plan.cfg, g).services;
      return services.length > 0 && Math.min(...services.map((sv) => rank(sv.autostop))) === level;
    });
    if (idle.length > 0) {
      ctx.out(
        `\n\nNOTE: The machines for [${idle.sort().join(',')}] have services with 'auto_stop_machines = "${verb}"' that will be ${done} when idling\n\n`,
      );
    }
  }
}

function updateExisting(ctx, w, app, plan, machines, release) {
  if (machines.length === 0) return;
  ctx.out(`Updating existing machines in '${app.name}' with ${plan.strategy} strategy\n`);
  const sorted = [...machines].sort((a, b) => (a.id < b.id ? -1 : 1));
  const sl = statusLogger(ctx, sorted.length);
  const immediate = plan.strategy === 'immediate';
  sorted.forEach((m, i) => {
    const id = formattedId(m);
    // stale-machine: the first machine keeps its release, started and healthy, and flyctl still exits 0.
    if (i === 0 && ctx.faults.has('stale-machine')) return;
    sl.log(i, `Updating ${id}`, 'running');
    sl.log(i, `Updating ${id}`);
    try {
      const config = machineConfigForGroup(plan.cfg, processGroup(m));
      const skipLaunch = skipsLaunch(m, config);
      // A standby whose group now has a service stops being one (flyctl launchInputForUpdate clears its standbys).
      if ((config.services ?? []).length > 0 && (m.config?.standbys ?? []).length > 0) config.standbys = [];
      delete config.mounts; // attached volumes stay as they are
      updateMachine(ctx, w, app, m, {
        image: plan.image,
        guest: guestForGroup(plan.cfg, processGroup(m)),
        config: { ...config, env: { ...config.env, ...plan.env } },
        metadata: { fly_release_id: release.id, fly_release_version: String(release.version) },
        skipLaunch,
      });
      if (!immediate && !plan.detach && !skipLaunch) {
        sl.log(i, `Waiting for ${id} to have state: started`);
        sl.log(i, `Machine ${id} has state: started`);
        sl.log(i, `Checking that ${id} is up and running`);
        const n = m.checks.length;
        if (n > 0 && healthOf(ctx) === 'critical') sl.log(i, `Waiting for ${id} to become healthy: 0/${n}\n`);
        waitHealthy(ctx, plan, m);
        if (n > 0) sl.log(i, `Waiting for ${id} to become healthy: ${n}/${n}\n`);
      }
      sl.log(i, `Machine ${id} update succeeded`, 'success');
    } catch (error) {
      sl.log(i, `Machine ${id} update failed: ${error.message}`, 'failure');
      throw error;
    }
  });
}

/** Runs the machines phase; returns the error to report (state changes up to it are kept). */
export function deployMachines(ctx, w, app, plan, release) {
  const groups = processNames(plan.cfg);
  const existing = flyAppsMachines(app).filter((m) => !plan.onlyRegions.length || plan.onlyRegions.includes(m.region));
  const stale = existing.filter((m) => !groups.includes(processGroup(m)));
  const current = existing.filter((m) => groups.includes(processGroup(m)));
  const needing = groups.filter((g) => !current.some((m) => processGroup(m) === g));
  if (needing.length > 0 || stale.length > 0) {
    ctx.out(plan.firstDeploy ? 'This deployment will:\n' : 'Process groups have changed. This will:\n');
    const counts = {};
    for (const m of stale) counts[processGroup(m)] = (counts[processGroup(m)] ?? 0) + 1;
    for (const [grp, n] of Object.entries(counts)) ctx.out(` * destroy ${n} "${grp}" machine${n === 1 ? '' : 's'}\n`);
    for (const g of needing) {
      const cfg = machineConfigForGroup(plan.cfg, g);
      const what =
        !plan.ha || cfg.mounts.length > 0
          ? `1 "${g}" machine`
          : cfg.services.length > 0
            ? `2 "${g}" machines`
            : `1 "${g}" machine and 1 standby machine for it`;
      ctx.out(` * create ${what}\n`);
    }
    ctx.out('\n');
  }
  for (const m of stale) destroyMachine(w, m);
  if (!plan.updateOnly) createForGroups(ctx, w, app, plan, needing, release);
  updateExisting(ctx, w, app, plan, current, release);
}

export { provisionFirstDeploy };

/**
 * flyctl's skipLaunch (internal/command/deploy/machines_launchinput.go), on the machine's state before the deploy
 * (PR #4984) and its new config: a started machine is launched; a standby is not, unless its group gained a service; a stopped or suspended one is not when a service of
 * its new config autoscales (autostop on, or autostart true; PR #2992); anything else (a crashed machine of an app
 * that does not autoscale, a created one) is launched. A skipped machine is updated, left as it was, not waited for.
 */
function skipsLaunch(m, config) {
  if (m.state === 'started') return false;
  if ((m.config?.standbys ?? []).length > 0 && (config.services ?? []).length === 0) return true;
  if (m.state !== 'stopped' && m.state !== 'suspended') return false;
  return (config.services ?? []).some((s) => (s.autostop !== undefined && s.autostop !== false) || s.autostart === true);
}
