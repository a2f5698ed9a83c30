/**
 * Where a load run goes: an http(s) URL, or the app's Fly hostname with a path. Tests set
 * GPUCTL_LOADTEST_LOOPBACK_ONLY=1 so that no run can ever leave the machine. Pure.
 */
import { UsageError } from '../errors.js';
import { checkFlyAppName } from '../flyio/app-name.js';
import { parseHttpUrl } from '../shared/http-url.js';

export const LOOPBACK_ONLY_ENV = 'GPUCTL_LOADTEST_LOOPBACK_ONLY';

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The URL to load: a password in it is sent (autocannon's basic auth) and never shown. */
export function parseTarget(text: string): URL {
  return parseHttpUrl(text, 'The URL to load', { credentials: 'allow', example: 'https://my-app.fly.dev/predict, or -a APP' });
}

/** https://<app>.fly.dev plus --path, built with the URL API: neither the name nor the path can change the host. */
export function appTarget(app: string, path: string): URL {
  const url = new URL('https://fly.dev/');
  url.hostname = `${checkFlyAppName(app, 'The app')}.fly.dev`;
  // A whole URL given as the path became "/https://other/x" on the app's host: the run loaded a path nobody meant.
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(path))
    throw new UsageError(`--path "${path}" is a URL; --path is the path on https://${url.hostname}/, e.g. /predict.`, {
      hint: 'To load another URL, give it as the argument instead of -a and --path.',
    });
  const relative = new URL(path.startsWith('/') ? path : `/${path}`, 'https://path.invalid');
  if (relative.host !== 'path.invalid') throw new UsageError(`--path "${path}" names another host; give a path such as /predict.`);
  url.pathname = relative.pathname;
  url.search = relative.search;
  return url;
}

/** Refuses a target off this machine when the environment asks for loopback only. */
export function checkLoopback(url: URL, env: Readonly<Record<string, string | undefined>>): void {
  if (env[LOOPBACK_ONLY_ENV] === '1' && !isLoopback(url.hostname)) {
    throw new UsageError(`${url.host} is not a loopback address, and ${LOOPBACK_ONLY_ENV}=1 allows only 127.0.0.1, ::1 and localhost.`, {
      hint: `Unset ${LOOPBACK_ONLY_ENV} to load a remote target.`,
    });
  }
}
