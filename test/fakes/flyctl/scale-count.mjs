/**
 * `fly scale count` (internal/command/scale/count.go, count_machines.go): parse the counts, plan
 * per group and region (convergeGroupCounts), print the plan, require --yes off a TTY, execute.
 * Real flyctl iterates Go maps, so its plan order varies run to run; the fake sorts by group,
 * then region order, so its output is stable.
 */
import { machineConfigForGroup, normalizeConfig, processNames } from './appconfig.mjs';
import { sizeOfGuest } from './catalog.mjs';
import { findApp } from './cmd-apps.mjs';
import { FlyError } from './errors.mjs';
import { requestId } from './ids.mjs';
import { destroyMachine, flyAppsMachines, launchMachine, processGroup } from './machine-ops.mjs';
import { newVolume } from './model.mjs';
import { guestFromFlags } from './vm-guest.mjs';

/** parseGroupCounts: "3", "+1", "-2" for the default group, or "web=2 worker=1". */
export function parseGroupCounts(args, defaultGroup) {
  const groups = {};
  const apply = (group, text) => {
    if (!/^[+-]?\d+$/.test(text)) throw new FlyError(`strconv.Atoi: parsing "${text}": invalid syntax`);
    const n = Number.parseInt(text, 10);
    if (/^[+-]/.test(text)) {
      if (n === 0) throw new FlyError(`invalid relative scale count: ${text}`);
      groups[group] = { relative: n };
    } else groups[group] = { absolute: n };
  };
  if (args.length === 1 && /^[+-]?\d+$/.test(args[0])) apply(defaultGroup, args[0]);
  if (Object.keys(groups).length === 0) {
    for (const arg of args) {
      const parts = arg.split('=');
      if (parts.length !== 2) throw new FlyError(`'${arg}' is not a valid process=count option`);
      apply(parts[0], parts[1]);
    }
  }
  return groups;
}

/** convergeGroupCounts: region → delta. */
export function convergeGroupCounts(expected, current, regions, maxPerRegion) {
  const list = [...new Set(regions.length ? regions : Object.keys(current))];
  const diffs = {};
  if (maxPerRegion >= 0) {
    if (list.length * maxPerRegion < expected) {
      throw new FlyError('the number of regions by the maximum machines per region is fewer than the expected total');
    }
    for (const r of list) if ((current[r] ?? 0) > maxPerRegion) diffs[r] = maxPerRegion - current[r];
  }
  let diff = expected;
  for (const r of list) diff -= (current[r] ?? 0) + (diffs[r] ?? 0);
  for (let i = 0; diff > 0; i++) {
    const r = list[i % list.length];
    if (maxPerRegion < 0 || (current[r] ?? 0) + (diffs[r] ?? 0) < maxPerRegion) {
      diffs[r] = (diffs[r] ?? 0) + 1;
      diff--;
    }
  }
  for (let i = 1; diff < 0; i++) {
    const r = list[i % list.length];
    if ((current[r] ?? 0) + (diffs[r] ?? 0) > 0) {
      diffs[r] = (diffs[r] ?? 0) - 1;
      diff++;
    }
  }
  return diffs;
}

function plan(ctx, app, counts, regionsFlag, maxPerRegion) {
  const machines = flyAppsMachines(app).filter((m) => m.config);
  const regions = regionsFlag.length ? regionsFlag : [...new Set(machines.map((m) => m.region))];
  const cfg = normalizeConfig(app.lastConfig ?? {}, '');
  const fallbackGuest = guestFromFlags(ctx);
  const actions = [];
  for (const group of Object.keys(counts).sort()) {
    const inGroup = machines.filter((m) => processGroup(m) === group);
    const { absolute = 0, relative = 0 } = counts[group];
    const expected = Math.max(relative ? inGroup.length + relative : absolute, 0);
    const current = {};
    for (const m of inGroup) current[m.region] = (current[m.region] ?? 0) + 1;
    const targetRegions = regions.length ? regions : [cfg.primaryRegion || 'iad'];
    const diffs = convergeGroupCounts(expected, inGroup.length ? current : {}, targetRegions, maxPerRegion);
    const template = inGroup[0]
      ? JSON.parse(JSON.stringify(inGroup[0].config))
      : { ...machineConfigForGroup(cfg, group), guest: fallbackGuest };
    delete template.standbys;
    if (template.env) delete template.env.FLY_STANDBY_FOR;
    for (const region of [...new Set([...targetRegions, ...Object.keys(diffs)])]) {
      const delta = diffs[region] ?? 0;
      if (delta !== 0) actions.push({ group, region, delta, machines: inGroup.filter((m) => m.region === region), template });
    }
  }
  return actions;
}

/** An unattached volume of the mount's name in the region, or a new one like the group's others. */
function attachableVolume(ctx, w, app, mount, region) {
  const free = app.volumes.find((v) => v.name === mount.name && v.region === region && !v.attached_machine_id);
  if (free && !ctx.flags['with-new-volumes']) return free;
  const size = app.volumes.find((v) => v.name === mount.name)?.size_gb ?? 1;
  ctx.out(`  Creating volume ${mount.name} region:${region} size:${size}GiB\n`);
  const volume = newVolume(w, { name: mount.name, region, sizeGb: size });
  app.volumes.push(volume);
  return volume;
}

export function scaleCount(ctx) {
  ctx.requireAuth();
  const name = ctx.appName();
  const result = ctx.mutate((w) => {
    const app = findApp(ctx, w.state, name);
    if (!app)
      throw new FlyError(`error listing active machines for ${name} app: failed to list active VMs: app not found`, {
        requestId: requestId(w.tick(), w.next()),
      });
    const known = processNames(normalizeConfig(app.lastConfig ?? {}, ''));
    const counts = parseGroupCounts(ctx.args, ctx.flags['process-group'] || 'app');
    const unknown = Object.keys(counts).filter((g) => !known.includes(g));
    if (unknown.length > 0) {
      throw new FlyError(
        `Attempting to scale unknown process groups [${unknown.join(' ')}] but valid names are [${known.join(' ')}].\n Use \`fly scale count COUNT --process-group=NAME\` \n or multi group syntax \`fly scale count NAME1=COUNT1 NAME2=COUNT2 ...\``,
      );
    }
    const release = [...app.releases].filter((r) => r.status === 'complete').sort((a, b) => b.version - a.version)[0];
    if (!release) throw new FlyError('this app has no complete releases. Run `fly deploy` to create one and rerun this command');
    const regionsFlag = ctx.flags.region ? ctx.flags.region.split(',') : [];
    const actions = plan(ctx, app, counts, regionsFlag, ctx.flags['max-per-region']);
    const env = Object.fromEntries(ctx.flags.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    if (actions.length === 0) return ctx.out('App already scaled to desired state. No need for changes\n');
    ctx.out(`App '${name}' is going to be scaled according to this plan:\n`);
    for (const a of actions) {
      const size = sizeOfGuest(a.delta > 0 || !a.machines[0] ? a.template.guest : a.machines[0].config.guest);
      const sign = a.delta > 0 ? `+${a.delta}` : String(a.delta);
      ctx.out(`${sign.padStart(4)} machines for group '${a.group}' on region '${a.region}' of size '${size}'\n`);
    }
    if (!ctx.flags.yes) throw new FlyError('--yes flag must be specified when not running interactively');
    ctx.out('Executing scale plan\n');
    try {
      for (const a of actions) {
        for (let i = 0; i < a.delta; i++) {
          const { metadata, guest, env: templateEnv, ...config } = a.template;
          const volume = config.mounts?.length ? attachableVolume(ctx, w, app, config.mounts[0], a.region) : undefined;
          if (volume) config.mounts = [{ ...config.mounts[0], volume: volume.id, size_gb: volume.size_gb, encrypted: volume.encrypted }];
          const m = launchMachine(ctx, w, app, {
            ...config,
            guest,
            env: { ...templateEnv, ...env },
            group: a.group,
            region: a.region,
            image: config.image,
            metadata,
            release: { id: release.id, version: release.version },
          });
          if (volume) volume.attached_machine_id = m.id;
          ctx.out(
            `  Created ${m.id} group:${a.group} region:${a.region} size:${sizeOfGuest(m.config.guest)}${volume ? ` volume:${volume.id}` : ''}\n`,
          );
        }
        for (let i = 0; i < -a.delta; i++) {
          destroyMachine(w, a.machines[i]);
          ctx.out(`  Destroyed ${a.machines[i].id} group:${a.group} region:${a.region} size:${sizeOfGuest(a.machines[i].config.guest)}\n`);
        }
      }
    } catch (error) {
      return { error }; // what was created or destroyed before the failure stays
    }
    return {};
  });
  if (result?.error) throw result.error;
}
