/**
 * fly.toml rules about process groups and [[restart]], as flyctl's `Config.Validate` has them (superfly/flyctl
 * internal/appconfig/validation.go `validateServicesSection`, `validateRestartPolicy`; machines.go
 * `parseRestartPolicy`; processgroups.go `ProcessNames`). `flyctl deploy` runs that validation first and stops with
 * "App configuration is not valid" on any of these; a [[services]] without ports it only warns about.
 */
import { isTable, tables } from '../flyio/fly-model.js';
import { finding, type Finding } from '../shared/findings.js';
import type { TomlPath } from '../shared/toml-scan.js';
import type { RuleContext } from './fly-gpu-rules.js';

const POLICIES = ['always', 'never', 'on-failure'];

const names = (value: unknown): string[] => (Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : []);

/** `raw` is fly.toml as parsed. */
export function processRules(raw: Record<string, unknown>, { file, at }: Pick<RuleContext, 'file' | 'at'>): Finding[] {
  // ProcessNames: the [processes] names, else the one default group, "app".
  const declared = isTable(raw.processes) ? Object.keys(raw.processes) : [];
  const groups = declared.length ? declared : ['app'];
  const known = `defined: ${groups.map((g) => `'${g}'`).join(', ')}`;
  const out: Finding[] = [];
  const unknown = (path: TomlPath, what: string) => (name: string) =>
    out.push(
      finding(
        'process-group-unknown',
        file,
        at([...path, 'processes']),
        `${what} names the process group '${name}', but no process group has that name (${known}), so \`flyctl deploy\` stops: the configuration is not valid.`,
        declared.length
          ? `Add '${name}' to [processes], or remove it from this processes list.`
          : `Without [processes] the only group is 'app': use processes = ['app'], or define '${name}' in [processes].`,
      ),
    );
  const services = [...tables(raw.http_service, ['http_service']), ...tables(raw.services, ['services'])];
  for (const { table, path } of services) {
    const what = path[0] === 'http_service' ? '[http_service]' : '[[services]]';
    const listed = names(table.processes);
    if (listed.length === 0 && declared.length > 0) {
      out.push(
        finding(
          'service-processes-missing',
          file,
          at(path),
          `${what} has no processes set but the app has ${declared.length} process group(s) in [processes], so \`flyctl deploy\` stops: the configuration is not valid.`,
          `Set processes = ['${declared[0]}'] (the group(s) that serve this port) in ${what}.`,
        ),
      );
    }
    listed.filter((name) => !groups.includes(name)).forEach(unknown(path, what));
    // flyctl's own warning (validateServicesSection): nothing outside reaches a [[services]] without ports
    const ports = table.ports;
    if (path[0] === 'services' && !(Array.isArray(ports) ? ports.length > 0 : isTable(ports)))
      out.push(
        finding(
          'service-without-ports',
          file,
          at(path),
          '[[services]] exposes no port: Fly\'s proxy routes nothing to it (flyctl warns "Service must expose at least one port").',
          "Add [[services.ports]] (e.g. port = 443 with handlers = ['tls', 'http']), or use [http_service].",
        ),
      );
  }
  for (const { table, path } of tables(raw.restart, ['restart'])) {
    names(table.processes)
      .filter((name) => !groups.includes(name))
      .forEach(unknown(path, '[[restart]]'));
    const policy = table.policy;
    if (typeof policy === 'string' && POLICIES.includes(policy)) continue;
    // A policy that is not a string is fly-value-type's; flyctl's parse takes a missing one as "" and refuses it too.
    if (policy !== undefined && typeof policy !== 'string') continue;
    out.push(
      finding(
        'restart-policy-invalid',
        file,
        at(policy === undefined ? path : [...path, 'policy']),
        `[[restart]] policy ${policy === undefined ? 'is missing' : `'${policy}' is not one flyctl knows`}: \`flyctl deploy\` stops with "invalid restart policy: ${policy ?? ''}".`,
        "Set policy to 'always', 'never' or 'on-failure'.",
      ),
    );
  }
  return out;
}
