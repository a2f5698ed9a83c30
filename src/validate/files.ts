/**
 * validate's rules over file texts: pure. The compose.yaml check comes as a parameter, so that a run without a
 * compose file never loads the YAML parser (start-up, issue 19 item 11): index.ts gives it always, run.ts only
 * when there is a compose file.
 */
import { FLY_GPU_DRIVER_VERSION } from '../flyio/gpu-kinds.js';
import { cudaVersionForDriver } from '../gpu/cuda-driver.js';
import type { WorkloadId } from '../shared/profiles.js';
import { dockerStages, parseDockerfile } from '../shared/dockerfile.js';
import { cudaRule, develRule, driverRule, rootRule, type DockerTarget } from './docker-rules.js';
import { dockerSyntaxRule } from './docker-syntax.js';
import { finding, type Finding } from '../shared/findings.js';
import { gpuRules, isGpuVm, memoryRule, type RuleContext } from './fly-gpu-rules.js';
import type { FlyModel } from '../flyio/fly-model.js';
import { parseFlyToml, parseFlyTomlBytes, type ParsedFlyToml } from '../flyio/fly-toml.js';
import { portRules } from './fly-port-rules.js';
import { unknownKeyRules } from './fly-key-rules.js';
import { typeRules } from './fly-type-rules.js';
import { checkRules, serviceRules } from './fly-service-rules.js';
import { processRules } from './fly-process-rules.js';
import { mountRules } from './fly-mount-rules.js';
import { commandRules } from './fly-command-rules.js';
import { vmMemoryRule } from './fly-vm-memory-rule.js';
import { BUILT_IN_REGIONS, type RegionList } from '../flyio/regions.js';
import { regionRule } from './region-rule.js';
import { appFilesRule, type ContextHas } from './app-files-rule.js';
import { buildImageRule } from './build-image-rule.js';

export interface SourceFile {
  /** Shown in findings as given (relative paths read best). */
  path: string;
  text: string;
  /** The file's bytes, when read from disk: fly.toml is then decoded strictly (invalid UTF-8 is a toml-syntax error). */
  bytes?: Uint8Array;
  /** fly.toml already parsed from `bytes` (run.ts reads [build] dockerfile first): the rules reuse it, one parse per run. */
  parsed?: ParsedFlyToml;
}

export interface ValidateFiles {
  flyToml?: SourceFile;
  dockerfile?: SourceFile;
  /** fly.toml's [build] dockerfile names this file (as written there) and it does not exist: a finding at that key. */
  dockerfileMissing?: string;
  composeYaml?: SourceFile;
}

export interface ValidateOptions {
  /** Workload profile for the memory rule when fly.toml's [env] has no GPUCTL_WORKLOAD. */
  workload?: WorkloadId;
  /**
   * The NVIDIA driver the image will run on. Default: Fly's GPU driver (545.23.08) when fly.toml has a
   * GPU guest or there is no fly.toml; no CUDA check at all when fly.toml describes a CPU layout.
   */
  driverVersion?: string;
  /** Whether a path exists in the build context (fly.toml's directory); without it, the missing-file rule does not run. */
  contextHas?: ContextHas;
  /** The known Fly regions (the cached flyctl list, region-cache.ts); default: the built-in list. */
  regions?: RegionList;
}

type TomlResult = { ok: true; doc: Record<string, unknown>; model: FlyModel; at: RuleContext['at'] } | { ok: false; finding: Finding };

function readToml(file: SourceFile): TomlResult {
  const parsed = file.parsed ?? (file.bytes ? parseFlyTomlBytes(file.bytes) : parseFlyToml(file.text));
  if (parsed.ok) return parsed;
  const { line, column, message } = parsed.problem;
  const fix = message.startsWith('Not UTF-8')
    ? 'Save fly.toml as UTF-8 (the byte at this line and column is not); nothing else was checked.'
    : 'Fix the syntax at this line and column; nothing else was checked.';
  return { ok: false, finding: finding('toml-syntax', file.path, { line, column }, message, fix) };
}

function dockerTarget(model: FlyModel | null, options: ValidateOptions): DockerTarget {
  const gpu = model === null || model.vms.some(isGpuVm);
  if (!gpu && options.driverVersion === undefined) return { maxCuda: null, driverVersion: null, known: true };
  const driverVersion = options.driverVersion ?? FLY_GPU_DRIVER_VERSION;
  return {
    maxCuda: cudaVersionForDriver(driverVersion).cudaVersion,
    driverVersion,
    known: model !== null || options.driverVersion !== undefined,
  };
}

function missingDockerfile({ file, at }: RuleContext, named: string): Finding {
  return finding(
    'dockerfile-missing',
    file,
    at(['build', 'dockerfile']),
    `[build] dockerfile = '${named}' names a file that does not exist (relative to fly.toml): flyctl deploy would stop there, and no Dockerfile rule ran.`,
    "Set dockerfile to the Dockerfile's path relative to fly.toml, create it (gpuctl init writes one), or pass --dockerfile.",
  );
}

/** The GPU retirement leads its file: whatever else the file says, Fly.io runs no GPU guest at all. */
const leads = (f: Finding): number => (f.id === 'fly-gpu-retired' ? 0 : 1);

function byPlace(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) || leads(a) - leads(b) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.id.localeCompare(b.id)
  );
}

/** The compose.yaml rules (compose-rules.ts), handed in by the caller. */
export type ComposeCheck = (path: string, text: string) => Finding[];

/** Every finding for the given files, sorted by file and line (the GPU retirement first). Pure: no file system, no clock. */
export function validateWith(files: ValidateFiles, options: ValidateOptions, compose: ComposeCheck | undefined): Finding[] {
  const findings: Finding[] = [];
  let model: FlyModel | null = null;
  if (files.flyToml) {
    const toml = readToml(files.flyToml);
    // The finding says "nothing else was checked": the Dockerfile's rules depend on fly.toml's guest.
    if (!toml.ok) return [toml.finding];
    else {
      model = toml.model;
      const ctx: RuleContext = { model, file: files.flyToml.path, at: toml.at, workload: options.workload };
      findings.push(
        ...gpuRules(ctx),
        ...memoryRule(ctx),
        ...checkRules(ctx),
        ...serviceRules(ctx),
        ...portRules(ctx),
        ...regionRule(ctx, options.regions ?? BUILT_IN_REGIONS),
        ...unknownKeyRules(toml.doc, ctx),
        ...typeRules(toml.doc, ctx),
        ...processRules(toml.doc, ctx),
        ...mountRules(toml.doc, ctx),
        ...commandRules(toml.doc, ctx),
        ...vmMemoryRule(toml.doc, ctx),
        ...buildImageRule(toml.doc, ctx),
      );
      if (files.dockerfileMissing !== undefined) findings.push(missingDockerfile(ctx, files.dockerfileMissing));
    }
  }
  if (files.dockerfile) {
    const file = files.dockerfile.path;
    const dockerfile = parseDockerfile(files.dockerfile.text);
    const stages = dockerStages(dockerfile);
    findings.push(...dockerSyntaxRule(dockerfile, file));
    if (stages.length > 0) {
      const target = dockerTarget(model, options);
      findings.push(...driverRule(stages, file), ...cudaRule(stages, file, target), ...rootRule(stages, file), ...develRule(stages, file));
      if (options.contextHas) findings.push(...appFilesRule(stages, file, options.contextHas));
    }
  }
  if (files.composeYaml) {
    if (!compose) throw new Error('validateWith: a compose file without the compose check');
    findings.push(...compose(files.composeYaml.path, files.composeYaml.text));
  }
  return findings.sort(byPlace);
}
