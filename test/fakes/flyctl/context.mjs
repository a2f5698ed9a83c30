/**
 * What every command gets: output writers, the JSON printer (faults applied), the state store,
 * authentication and app-name resolution as flyctl does them (internal/command/command.go):
 *   token   -t/--access-token, else FLY_ACCESS_TOKEN, else FLY_API_TOKEN
 *   app     -a/--app, else FLY_APP, else `app` in fly.toml (-c path, else <working dir>/fly.toml)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { FlyError, NO_TOKEN } from './errors.mjs';
import { corruptJson } from './faults.mjs';
import { goJson, goJsonCompact } from './gojson.mjs';
import { loadState, stateDirFrom, withState, world } from './state.mjs';

export const REQUIRE_APP_NAME =
  'the config for your app is missing an app name, add an app field to the fly.toml file or specify with the -a flag';

export function makeContext({ exe, env, cwd, stdout, stderr, stdinIsTty, path, parsed, faults }) {
  const stateDir = stateDirFrom(env);
  const { flags, args, specified } = parsed;
  let config;

  const ctx = {
    exe,
    env,
    cwd,
    path,
    flags,
    args,
    specified,
    faults,
    interactive: Boolean(stdinIsTty) && !env.CI,
    out: (text) => stdout.write(text),
    err: (text) => stderr.write(text),
    /** render.JSON (or the compact encoder), with garbage-json / truncated-json applied. */
    json(value, { compact = false } = {}) {
      stdout.write(corruptJson(faults, compact ? goJsonCompact(value) : goJson(value)));
    },
    /** A read-only view of the state (changes are not saved). */
    read: () => world(loadState(stateDir), env),
    /** Runs fn(world) under the state lock and saves what it leaves behind. */
    mutate: (fn) => withState(stateDir, (state) => fn(world(state, env))),

    token() {
      if (faults.has('not-logged-in')) return '';
      return flags['access-token'] || env.FLY_ACCESS_TOKEN || env.FLY_API_TOKEN || '';
    },
    requireAuth() {
      if (!ctx.token()) throw new FlyError(NO_TOKEN);
      // A token Fly.io refuses for this command (expired, revoked, or scoped to another app): the public text (facts §2.12).
      if (faults.has('unauthorized')) throw new FlyError('unauthorized');
    },
    email: () => env.FAKE_FLYCTL_EMAIL || 'ops@example.com',

    /** The working directory commands resolve fly.toml against (deploy takes it as an argument). */
    workingDir: () => resolve(cwd, path === 'deploy' && args[0] ? args[0] : '.'),

    /** The parsed fly.toml, or undefined when there is none; throws flyctl's errors for bad ones. */
    appConfig() {
      if (config !== undefined) return config || undefined;
      const given = flags.config;
      const candidates = given
        ? [given, join(given, 'fly.toml')].map((p) => (isAbsolute(p) ? p : resolve(ctx.workingDir(), p)))
        : [join(ctx.workingDir(), 'fly.toml')];
      for (const file of candidates) {
        if (!existsSync(file)) continue;
        if (statSync(file).isDirectory()) {
          throw new FlyError(`failed loading app config from ${given}: read ${given}: is a directory`);
        }
        try {
          config = { file, data: parseToml(readFileSync(file, 'utf8')) };
        } catch (error) {
          throw new FlyError(`failed loading app config from ${file}: ${error.message.split('\n')[0]}`);
        }
        return config;
      }
      if (given) {
        throw new FlyError(`config file not found at specified path: ${given} (also tried: ${join(given, 'fly.toml')})`);
      }
      config = null;
      return undefined;
    },

    /** RequireAppName: -a, FLY_APP, fly.toml's app. */
    appName() {
      const cfg = ctx.appConfig();
      const name = flags.app || env.FLY_APP || (typeof cfg?.data.app === 'string' ? cfg.data.app : '');
      if (!name) throw new FlyError(REQUIRE_APP_NAME);
      return name;
    },
  };
  return ctx;
}
