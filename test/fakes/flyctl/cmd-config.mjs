/**
 * config show (internal/command/config/show.go): the app's deployed configuration, from the Fly service, as JSON
 * (`--local` parses the local fly.toml instead, not modelled). The fake's deployed configuration is the fly.toml of
 * the app's last deploy as parsed (app.lastConfig), printed with flyctl's 4-space JSON.
 */
import { appOrFlapsError } from './cmd-scale.mjs';
import { FlyError } from './errors.mjs';
import { goJson } from './gojson.mjs';

export function configShow(ctx) {
  ctx.requireAuth();
  if (ctx.flags.local) throw new FlyError('config show --local is not modelled by this fake');
  const name = ctx.appName();
  const app = appOrFlapsError(ctx, ctx.read(), name, 'failed to get app config');
  // The wording for an app never deployed is the fake's own (flyctl's is not recorded in the facts).
  if (!app.lastConfig) throw new FlyError(`app ${name} has no deployed configuration`);
  ctx.out(goJson({ ...app.lastConfig, app: name }));
}
