/** Which app a command is about, the way flyctl decides: -a, then FLY_APP, then `app` in fly.toml. */
import type { Ctx } from '../context.js';
import { UsageError } from '../errors.js';
import { NotRegularFileError, readRegularFile } from '../shared/regular-file.js';
import { resolveFlyToml } from './config-path.js';

/** Fly.io's rule for app names: lowercase letters, digits and dashes, starting with a letter, at most 63 characters. */
const FLY_APP_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export function isFlyAppName(name: string): boolean {
  return FLY_APP_NAME.test(name);
}

/** The one check every app name passes where it enters gpuctl (flag, FLY_APP, fly.toml, policy file). */
export function checkFlyAppName(name: string, source: string): string {
  if (isFlyAppName(name)) return name;
  throw new UsageError(`${source} ${JSON.stringify(name)} is not a valid Fly app name.`, {
    hint: 'Fly app names are lowercase letters, digits and dashes, start with a letter and have at most 63 characters, e.g. my-model.',
  });
}

/**
 * A process group name, by flyctl's own rule (superfly/flyctl, read at ad0172f): flyctl has no
 * character rule for it. `--process-group` (alias `--group`) is a plain string flag; `scale count`
 * refuses only a name that is not one of the app's groups (`appConfig.ProcessNames()`: the keys of
 * [processes], which TOML lets hold any character, else "app"), and an empty one means "app". So any
 * non-empty name is one; gpuctl hands it to flyctl only as `--process-group=NAME`, where even "--help"
 * is a value, never a flag, and flyctl says whether the app has that group.
 */
export function isProcessGroupName(name: string): boolean {
  return name !== '';
}

export function checkProcessGroup(name: string, source: string): string {
  if (isProcessGroupName(name)) return name;
  throw new UsageError(`${source} is empty: no process group has that name.`, {
    hint: 'Name a group of fly.toml [processes] (e.g. app or worker), or leave the option out for the default.',
  });
}

export async function resolveAppName(ctx: Pick<Ctx, 'env' | 'cwd'>, app: string | undefined, config: string): Promise<string> {
  if (app) return checkFlyAppName(app, '--app');
  if (ctx.env.FLY_APP) return checkFlyAppName(ctx.env.FLY_APP, 'FLY_APP');
  let text: string | undefined;
  try {
    text = await readRegularFile(resolveFlyToml(ctx.cwd, config), 'utf8');
  } catch (error) {
    if (error instanceof NotRegularFileError) throw error;
    text = undefined;
  }
  if (text !== undefined) {
    let name: unknown;
    try {
      // Loaded here: the command definitions import this file, and `gpuctl --help` needs no TOML parser.
      name = (await import('smol-toml')).parse(text).app;
    } catch (error) {
      throw new UsageError(
        `${config} is not valid TOML, so it names no app: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        {
          hint: 'Pass -a <app>, or run `gpuctl validate`.',
        },
      );
    }
    if (typeof name === 'string' && name !== '') return checkFlyAppName(name, `\`app\` in ${config}`);
  }
  throw new UsageError(
    `Which app? ${text === undefined ? `There is no ${config} here` : `${config} has no \`app\``}, and neither -a nor FLY_APP is set.`,
    {
      hint: 'Pass -a <app>.',
    },
  );
}

/** Guest as people read it: "performance-8x", "shared-cpu-1x 1024 MB", plus the GPU when there is one. */
export function describeGuest(guest: {
  cpuKind: string | null;
  cpus: number | null;
  memoryMb: number | null;
  gpuKind?: string | null;
  gpus?: number;
}): string {
  if (!guest.cpuKind || !guest.cpus) return '-';
  const name = guest.cpuKind === 'shared' ? `shared-cpu-${guest.cpus}x` : `${guest.cpuKind}-${guest.cpus}x`;
  const standard = guest.cpus * (guest.cpuKind === 'shared' ? 256 : 2048);
  const memory = guest.memoryMb && guest.memoryMb !== standard ? ` ${guest.memoryMb} MB` : '';
  const gpu = guest.gpuKind ? ` + ${guest.gpus && guest.gpus > 1 ? `${guest.gpus}× ` : ''}${guest.gpuKind}` : '';
  return `${name}${memory}${gpu}`;
}
