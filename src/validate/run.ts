/**
 * `gpuctl validate`: find and read the files, run validateFiles, shape the result. Reading is the
 * only effect; a file that was asked for and is missing is a usage error (exit 2).
 */
import { existsSync } from 'node:fs';
import { resolveFlyToml } from '../flyio/config-path.js';
import { dirname, relative, resolve } from 'node:path';
import { parseFlyToml, parseFlyTomlBytes } from '../flyio/fly-toml.js';
import { describeErrno } from '../shared/make-dirs.js';
import type { Ctx } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { knownRegions } from '../flyio/region-cache.js';
import type { WorkloadId } from '../shared/profiles.js';
import { exitCodeFor, type Finding } from '../shared/findings.js';
import { validateWith, type SourceFile } from './files.js';
import { NotRegularFileError, readRegularFileSync } from '../shared/regular-file.js';

import type { ValidateFormat } from './formats.js';
export { VALIDATE_FORMATS, type ValidateFormat } from './formats.js';

export interface ValidateCommandOptions {
  /** How findings are printed: for people, as GitHub workflow commands, or as SARIF 2.1.0 (--json is its own flag). */
  format: ValidateFormat;
  /** -c/--config; undefined means ./fly.toml when it exists. */
  config: string | undefined;
  dockerfile: string | undefined;
  /** --compose; undefined means compose.yaml (or the other names docker compose reads) next to fly.toml when one exists. */
  compose?: string | undefined;
  workload: WorkloadId | undefined;
}

export interface ValidateJson {
  schemaVersion: 1;
  /** True when validate exits 0 (no errors; warnings allowed). */
  ok: boolean;
  exitCode: ExitCode;
  /** The files checked, as shown in findings (relative to the working directory). */
  files: Array<{ path: string; kind: 'fly.toml' | 'Dockerfile' | 'compose.yaml' }>;
  /** Files found but not checked: the Dockerfile when fly.toml does not parse, or when fly.toml deploys a [build] image. */
  notChecked: Array<{ path: string; kind: 'Dockerfile' | 'compose.yaml'; reason: string }>;
  errors: number;
  warnings: number;
  findings: Finding[];
}

/** The file names docker compose looks for, in its order (compose-spec: compose.yaml preferred). */
export const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

function read(path: string, shown: string, what: string): SourceFile {
  try {
    if (what !== 'fly.toml') return { path: shown, text: readRegularFileSync(path, 'utf8') };
    const bytes = readRegularFileSync(path);
    return { path: shown, text: bytes.toString('utf8'), bytes, parsed: parseFlyTomlBytes(bytes) };
  } catch (error) {
    if (error instanceof NotRegularFileError) throw error;
    throw new UsageError(`Cannot read ${what} ${shown}: ${describeErrno(error)}.`, {
      hint:
        what === 'fly.toml'
          ? 'Pass its path with -c, or run gpuctl init to write one.'
          : what === 'Dockerfile'
            ? 'Pass its path with --dockerfile.'
            : 'Pass its path with --compose.',
    });
  }
}

/**
 * fly.toml's [build] dockerfile, when it names a local file; relative to fly.toml's directory. Read from the one
 * parse of the file's bytes; a file that is not UTF-8 is read leniently here (its bytes are a toml-syntax finding).
 */
function buildSection(file: SourceFile): { dockerfile?: unknown; image?: unknown } | undefined {
  const parsed = file.parsed?.ok ? file.parsed : parseFlyToml(file.text);
  return parsed.ok ? (parsed.doc as { build?: { dockerfile?: unknown; image?: unknown } }).build : undefined;
}

function dockerfileFromConfig(file: SourceFile): string | undefined {
  const build = buildSection(file);
  return typeof build?.dockerfile === 'string' && !/^https?:/.test(build.dockerfile) ? build.dockerfile : undefined;
}

/** [build] image: flyctl deploys that image and builds nothing (deploy_build.go fetchImageRef comes before any build). */
function imageFromConfig(file: SourceFile): string | undefined {
  const image = buildSection(file)?.image;
  return typeof image === 'string' && image.trim() !== '' ? image : undefined;
}

/** Why a Dockerfile found was not checked, when fly.toml does not parse. */
export const TOML_BROKEN = 'fly.toml is not valid TOML';

export async function runValidate(options: ValidateCommandOptions, ctx: Ctx): Promise<ValidateJson> {
  const shown = (path: string) => relative(ctx.cwd, path) || path;
  const configPath = resolveFlyToml(ctx.cwd, options.config ?? 'fly.toml');
  const flyToml = options.config !== undefined || existsSync(configPath) ? read(configPath, shown(configPath), 'fly.toml') : undefined;
  let dockerfile: SourceFile | undefined;
  let dockerfileMissing: string | undefined;
  let unused: ValidateJson['notChecked'] = [];
  const image = flyToml ? imageFromConfig(flyToml) : undefined;
  if (options.dockerfile !== undefined) {
    const path = resolve(ctx.cwd, options.dockerfile);
    dockerfile = read(path, shown(path), 'Dockerfile');
  } else if (image !== undefined) {
    // A Dockerfile beside it is not what deploys: its findings would fail validate over a file flyctl never builds.
    const path = resolve(dirname(configPath), dockerfileFromConfig(flyToml!) ?? 'Dockerfile');
    const reason = `fly.toml deploys the image ${image} ([build] image), so flyctl builds no Dockerfile (--dockerfile checks it anyway)`;
    if (existsSync(path)) unused = [{ path: shown(path), kind: 'Dockerfile', reason }];
  } else {
    const named = flyToml ? dockerfileFromConfig(flyToml) : undefined;
    const path = resolve(dirname(configPath), named ?? 'Dockerfile');
    if (existsSync(path)) dockerfile = read(path, shown(path), 'Dockerfile');
    else if (named) dockerfileMissing = named;
  }
  let composeYaml: SourceFile | undefined;
  if (options.compose !== undefined) {
    const path = resolve(ctx.cwd, options.compose);
    composeYaml = read(path, shown(path), 'compose file');
  } else {
    const path = COMPOSE_NAMES.map((name) => resolve(dirname(configPath), name)).find((p) => existsSync(p));
    if (path) composeYaml = read(path, shown(path), 'compose file');
  }
  if (!flyToml && !dockerfile && !composeYaml) {
    throw new UsageError(`Nothing to validate: no fly.toml or Dockerfile in ${shown(dirname(configPath)) || '.'}.`, {
      hint: 'Pass -c fly.toml and/or --dockerfile, or run gpuctl init.',
    });
  }
  // The build context is fly.toml's directory (flyctl builds from there), else the Dockerfile's.
  const context = flyToml ? dirname(configPath) : dirname(resolve(ctx.cwd, options.dockerfile ?? 'Dockerfile'));
  const contextHas = (path: string) => existsSync(resolve(context, path));
  // The YAML parser loads only when there is a compose file (start-up).
  const compose = composeYaml ? (await import('./compose-rules.js')).composeRules : undefined;
  const findings = validateWith(
    { flyToml, dockerfile, dockerfileMissing, composeYaml },
    { ...(options.workload ? { workload: options.workload } : {}), regions: knownRegions(ctx), contextHas },
    compose,
  );
  const exitCode = exitCodeFor(findings);
  const tomlBroken = findings.some((f) => f.id === 'toml-syntax');
  const dockerChecked = dockerfile && !tomlBroken ? dockerfile : undefined;
  return {
    schemaVersion: 1,
    ok: exitCode === ExitCode.ok,
    exitCode,
    files: [
      ...(flyToml ? [{ path: flyToml.path, kind: 'fly.toml' as const }] : []),
      ...(dockerChecked ? [{ path: dockerChecked.path, kind: 'Dockerfile' as const }] : []),
      ...(composeYaml && !tomlBroken ? [{ path: composeYaml.path, kind: 'compose.yaml' as const }] : []),
    ],
    notChecked: [
      ...(dockerfile && !dockerChecked ? [{ path: dockerfile.path, kind: 'Dockerfile' as const, reason: TOML_BROKEN }] : []),
      ...unused,
      ...(composeYaml && tomlBroken ? [{ path: composeYaml.path, kind: 'compose.yaml' as const, reason: TOML_BROKEN }] : []),
    ],
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    findings,
  };
}
