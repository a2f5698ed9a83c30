/**
 * The one reading of a URL a user gives gpuctl (health --url, monitor --agent and --prometheus, autoscale's Prometheus,
 * loadtest's target): parsed as fetch parses it, http or https only, and one wording for each refusal. A password in
 * the URL is never repeated in a message. Ports fetch refuses are not refused here: fetchBounded reads them through
 * node:http(s), and loadtest's autocannon reaches them as they are.
 */
import { UsageError } from '../errors.js';
import { showUrl } from './http-read.js';

export interface HttpUrlRule {
  /** 'refuse': the requests send no credentials from the URL (fetch refuses such a URL); 'allow': they are sent (and hidden). */
  credentials: 'refuse' | 'allow';
  /** Where credentials go instead, for the refusal's hint (e.g. 'Set GPUCTL_AGENT_TOKEN instead: gpuctl sends it as a bearer.'). */
  credentialsHint?: string;
  /** An example of a good value, for the not-a-URL hint. */
  example?: string;
}

/** The text as a message may show it: as given, with any `user:password@` cut out (parsed or not). */
export function shownUrlText(text: string): string {
  return text.replace(/\/\/[^/?#]*@/, '//');
}

/** `what` (a flag or variable name, e.g. '--url') holding `text` → the URL, or a UsageError in the shared wording. */
export function parseHttpUrl(text: string, what: string, rule: HttpUrlRule): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new UsageError(`${what} must be an http(s) URL, not "${shownUrlText(text)}".`, {
      hint: `e.g. ${what.startsWith('-') ? `${what} ` : ''}${rule.example ?? 'http://127.0.0.1:8080'}`,
    });
  if (rule.credentials === 'refuse' && (url.username || url.password))
    throw new UsageError(`${what} holds credentials (user:password@) in its URL; gpuctl sends none from a URL, and would print them.`, {
      hint: rule.credentialsHint ?? `Give the address alone, e.g. ${showUrl(url)}`,
    });
  return url;
}

/** A Prometheus base URL (monitor --app, autoscale): its token goes in a header, from GPUCTL_PROMETHEUS_TOKEN. */
export const PROMETHEUS_URL: HttpUrlRule = {
  credentials: 'refuse',
  example: 'https://api.fly.io/prometheus/<org>/',
  credentialsHint: 'Set GPUCTL_PROMETHEUS_TOKEN instead: gpuctl sends it in the Authorization header.',
};
