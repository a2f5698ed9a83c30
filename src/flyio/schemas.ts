/**
 * The shapes of flyctl's JSON answers (flyctl v0.4.87; shared/docs/flyio-facts.md §2) and their
 * typed, camelCase values. Only the fields gpuctl reads are declared; unknown fields are ignored,
 * missing or mistyped ones are errors (see decode.ts).
 */
import { z } from 'zod';
import { autostopOf, eventSchema, lastExitOf, serviceSchema } from './autostop.js';

const str = z.string();
const optStr = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

const check = z.object({ name: str, status: str, output: optStr, updated_at: optStr }).transform((c) => ({
  name: c.name,
  status: c.status,
  output: c.output,
  updatedAt: c.updated_at || null,
}));
export type FlyCheck = z.output<typeof check>;

const guest = z.object({
  cpu_kind: optStr,
  cpus: z.number().int().nullish(),
  memory_mb: z.number().int().nullish(),
  gpus: z.number().int().nullish(),
  gpu_kind: optStr,
});

const imageRef = z.object({ registry: optStr, repository: optStr, tag: optStr, digest: optStr });

function imageName(ref: z.output<typeof imageRef> | undefined, configImage: string): string {
  if (ref?.repository) return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`;
  return configImage;
}

export const machineSchema = z
  .object({
    id: str.min(1),
    name: optStr,
    state: str,
    region: str,
    image_ref: imageRef.nullish(),
    created_at: optStr,
    updated_at: optStr,
    host_status: optStr,
    config: z
      .object({
        image: optStr,
        guest: guest.nullish(),
        metadata: z.record(str, str).nullish(),
        standbys: z.array(str).nullish(),
        env: z.record(str, str).nullish(),
        services: z.array(serviceSchema).nullish(),
        restart: z.object({ policy: optStr }).nullish(),
      })
      .nullish(),
    checks: z.array(check).nullish(),
    events: z.array(eventSchema).nullish(),
  })
  .transform((m) => {
    const meta = m.config?.metadata ?? {};
    const release = Number.parseInt(meta.fly_release_version ?? '', 10);
    const g = m.config?.guest;
    return {
      id: m.id,
      name: m.name,
      state: m.state,
      region: m.region,
      image: imageName(m.image_ref ?? undefined, m.config?.image ?? ''),
      processGroup: meta.fly_process_group || 'app',
      platformVersion: meta.fly_platform_version ?? null,
      releaseVersion: Number.isFinite(release) ? release : null,
      guest: {
        cpuKind: g?.cpu_kind || null,
        cpus: g?.cpus ?? null,
        memoryMb: g?.memory_mb ?? null,
        gpuKind: g?.gpu_kind || null,
        gpus: g?.gpus ?? (g?.gpu_kind ? 1 : 0),
      },
      checks: m.checks ?? [],
      /** config.standbys: the machines this one stands by for (flyctl's --ha standby, stopped until one fails). */
      standbyFor: m.config?.standbys ?? [],
      /** What the proxy may do to it while idle (autostop.ts). */
      autostop: autostopOf(m.config?.services ?? []),
      /** config.env.PRIMARY_REGION, which flyctl deploy sets from fly.toml's primary_region. */
      primaryRegion: m.config?.env?.PRIMARY_REGION || null,
      lastExit: lastExitOf(m.events ?? []),
      /**
       * config.restart.policy: `no`, `always` or `on-failure`; null when the config names none, where Fly applies
       * on-failure to machines fly deploy creates (superfly/docs machines/guides-examples/machine-restart-policy).
       */
      restartPolicy: m.config?.restart?.policy || null,
      hostStatus: m.host_status || null,
      createdAt: m.created_at || null,
      updatedAt: m.updated_at || null,
    };
  });
export type FlyMachine = z.output<typeof machineSchema>;
export const machineListSchema = z.array(machineSchema);

/** `flyctl status --json` (facts §2.1). */
export const statusSchema = z
  .object({
    Name: str,
    Hostname: optStr,
    AppURL: optStr,
    Deployed: z.boolean(),
    Status: optStr,
    Version: z.number().int(),
    Organization: z.object({ Slug: optStr }).nullish(),
    Machines: z.array(machineSchema).nullish(),
  })
  .transform((s) => ({
    name: s.Name,
    hostname: s.Hostname || `${s.Name}.fly.dev`,
    appUrl: s.AppURL || null,
    deployed: s.Deployed,
    status: s.Status,
    releaseVersion: s.Version,
    orgSlug: s.Organization?.Slug ?? null,
    machines: s.Machines ?? [],
  }));
export type FlyAppStatus = z.output<typeof statusSchema>;

/** `flyctl checks list --json`: machine id → checks (facts §2.3). */
export const checksListSchema = z.record(str, z.array(check));
export type FlyChecksByMachine = z.output<typeof checksListSchema>;

/** `flyctl scale show --json` (facts §2.4): no GPU fields. */
export const scaleShowSchema = z.array(
  z
    .object({
      Process: str,
      Count: z.number().int().nonnegative(),
      CPUKind: optStr,
      CPUs: z.number().int(),
      Memory: z.number().int(),
      Regions: z.record(str, z.number().int()).nullish(),
    })
    .transform((g) => ({
      group: g.Process,
      count: g.Count,
      cpuKind: g.CPUKind,
      cpus: g.CPUs,
      memoryMb: g.Memory,
      regions: g.Regions ?? {},
    })),
);
export type FlyScaleGroup = z.output<typeof scaleShowSchema>[number];

const release = z
  .object({
    ID: optStr,
    Version: z.number().int(),
    Stable: z.boolean().nullish(),
    InProgress: z.boolean().nullish(),
    Status: optStr,
    Reason: optStr,
    Description: optStr,
    DeploymentStrategy: optStr,
    User: z.object({ Email: optStr }).nullish(),
    CreatedAt: optStr,
    ImageRef: optStr,
  })
  .transform((r) => ({
    id: r.ID,
    version: r.Version,
    stable: r.Stable ?? false,
    inProgress: r.InProgress ?? false,
    status: r.Status,
    reason: r.Reason,
    description: r.Description,
    strategy: r.DeploymentStrategy,
    user: r.User?.Email ?? '',
    createdAt: r.CreatedAt || null,
    imageRef: r.ImageRef || null,
  }));
/** `flyctl releases --json` (facts §2.5): newest first. */
export const releasesSchema = z.array(release);

/** `flyctl config show`: the deployed fly.toml as JSON; only its process groups are read (flyctl's scale count checks a group against them). */
export const deployedConfigSchema = z.looseObject({ processes: z.record(z.string(), z.unknown()).optional() });
export type FlyRelease = z.output<typeof release>;

/** `flyctl apps create --json`: fly-go's App (facts §2.6). */
export const appSchema = z
  .object({
    Name: str.min(1),
    Status: optStr,
    Deployed: z.boolean().nullish(),
    Hostname: optStr,
    Organization: z.object({ Slug: optStr, Name: optStr }).nullish(),
  })
  .transform((a) => ({
    name: a.Name,
    status: a.Status,
    deployed: a.Deployed ?? false,
    hostname: a.Hostname || `${a.Name}.fly.dev`,
    orgSlug: a.Organization?.Slug ?? null,
  }));

/** `flyctl volumes create --json` (facts §2.11). */
export const volumeSchema = z
  .object({ id: str.min(1), name: str, state: optStr, size_gb: z.number().int(), region: str, zone: optStr })
  .transform((v) => ({ id: v.id, name: v.name, state: v.state, sizeGb: v.size_gb, region: v.region, zone: v.zone }));
export type FlyVolume = z.output<typeof volumeSchema>;

/** `flyctl version --json` (facts §2.10): one compact line. */
export const versionSchema = z
  .object({ Version: str.regex(/^\d+\.\d+\.\d+/), Commit: optStr, BuildDate: optStr })
  .transform((v) => ({ version: v.Version, commit: v.Commit || null, buildDate: v.BuildDate || null }));

/** `flyctl platform regions --json` (facts §2.7): fly-go Regions sorted by name; deprecated ones already left out. */
export const regionsSchema = z
  .array(z.object({ code: str.regex(/^[a-z]{3}$/), name: str, deprecated: z.boolean().nullish() }))
  .min(1)
  .transform((rs) => rs.filter((r) => !r.deprecated).map((r) => ({ code: r.code, name: r.name })));

/** `flyctl auth whoami --json` (facts §2.9). */
export const whoamiSchema = z.object({ email: str.min(1) }).transform((w) => w.email);
