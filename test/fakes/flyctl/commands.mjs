/**
 * The command tree: names, aliases, flags (flyctl's, hidden ones included), positional-argument
 * rules (cobra validators) and handlers. `path` is the canonical command path used by
 * FAKE_FLYCTL_FAULT_ON. Handlers are loaded lazily so a command pays only for its own modules.
 */
import { DEPLOY_FLAGS } from './deploy-flags.mjs';
import { VM_SIZE_FLAGS } from './vm-size-flags.mjs';

const json = { name: 'json', short: 'j', kind: 'bool' };
const app = { name: 'app', short: 'a', kind: 'string' };
const config = { name: 'config', short: 'c', kind: 'string' };
const yes = { name: 'yes', short: 'y', kind: 'bool' };
const org = { name: 'org', short: 'o', kind: 'string' };
const appFlags = [app, config];

const lazy = (module, name) => async (ctx) => (await import(module))[name](ctx);

const leaf = (name, spec) => ({ name, aliases: [], args: { max: 0 }, flags: [], ...spec });
const group = (name, children, aliases = []) => ({ name, aliases, children });

export const ROOT = group('flyctl', [
  leaf('version', {
    path: 'version',
    flags: [json, { name: 'saveinstall', short: 's', kind: 'string' }],
    run: lazy('./cmd-info.mjs', 'version'),
  }),
  group('auth', [leaf('whoami', { path: 'auth whoami', flags: [json], run: lazy('./cmd-info.mjs', 'whoami') })]),
  group(
    'apps',
    [
      leaf('list', {
        path: 'apps list',
        aliases: ['ls'],
        flags: [json, org, { name: 'quiet', short: 'q', kind: 'bool' }],
        run: lazy('./cmd-apps.mjs', 'appsList'),
      }),
      leaf('create', {
        path: 'apps create',
        args: { max: 1 },
        flags: [
          json,
          org,
          yes,
          { name: 'name', kind: 'string' },
          { name: 'generate-name', kind: 'bool' },
          { name: 'network', kind: 'string' },
          { name: 'machines', kind: 'bool' },
          { name: 'save', kind: 'bool' },
        ],
        run: lazy('./cmd-apps.mjs', 'appsCreate'),
      }),
      leaf('releases', {
        path: 'releases',
        flags: [...appFlags, json, { name: 'image', kind: 'bool' }],
        run: lazy('./cmd-apps.mjs', 'releases'),
      }),
    ],
    ['app'],
  ),
  leaf('releases', {
    path: 'releases',
    flags: [...appFlags, json, { name: 'image', kind: 'bool' }],
    run: lazy('./cmd-apps.mjs', 'releases'),
  }),
  leaf('status', {
    path: 'status',
    flags: [...appFlags, json, { name: 'all', kind: 'bool' }, { name: 'watch', kind: 'bool' }, { name: 'rate', kind: 'int', default: 5 }],
    run: lazy('./cmd-status.mjs', 'status'),
  }),
  group(
    'machine',
    [
      leaf('list', {
        path: 'machine list',
        aliases: ['ls'],
        flags: [...appFlags, json, { name: 'quiet', short: 'q', kind: 'bool' }],
        run: lazy('./cmd-status.mjs', 'machineList'),
      }),
    ],
    ['machines', 'm'],
  ),
  group('checks', [
    leaf('list', {
      path: 'checks list',
      aliases: ['ls'],
      flags: [...appFlags, json, { name: 'check-name', kind: 'string' }],
      run: lazy('./cmd-status.mjs', 'checksList'),
    }),
  ]),
  group('config', [
    leaf('show', {
      path: 'config show',
      flags: [...appFlags, { name: 'local', kind: 'bool' }],
      run: lazy('./cmd-config.mjs', 'configShow'),
    }),
  ]),
  group('scale', [
    leaf('show', { path: 'scale show', flags: [...appFlags, json], run: lazy('./cmd-scale.mjs', 'scaleShow') }),
    leaf('count', {
      path: 'scale count',
      args: { min: 1, max: Infinity },
      flags: [
        ...appFlags,
        yes,
        ...VM_SIZE_FLAGS,
        { name: 'region', short: 'r', kind: 'string' },
        { name: 'process-group', short: 'g', kind: 'string', aliases: ['group'] },
        { name: 'max-per-region', kind: 'int', default: -1 },
        { name: 'with-new-volumes', kind: 'bool' },
        { name: 'from-snapshot', kind: 'string' },
        { name: 'env', short: 'e', kind: 'array' },
      ],
      run: lazy('./cmd-scale.mjs', 'scaleCount'),
    }),
    leaf('vm', {
      path: 'scale vm',
      args: { min: 1, max: 1 },
      flags: [
        ...appFlags,
        { name: 'vm-memory', kind: 'int', aliases: ['memory'] },
        { name: 'process-group', short: 'g', kind: 'string', aliases: ['group'] },
      ],
      run: lazy('./cmd-scale.mjs', 'scaleVm'),
    }),
  ]),
  leaf('deploy', { path: 'deploy', args: { max: 1 }, flags: DEPLOY_FLAGS, run: lazy('./cmd-deploy.mjs', 'deploy') }),
  group('ssh', [
    leaf('console', {
      path: 'ssh console',
      args: { max: 1 },
      flags: [
        ...appFlags,
        { name: 'command', short: 'C', kind: 'string' },
        { name: 'machine', kind: 'string' },
        { name: 'select', short: 's', kind: 'bool' },
        { name: 'region', short: 'r', kind: 'string' },
        { name: 'address', short: 'A', kind: 'string' },
        { name: 'user', short: 'u', kind: 'string', default: 'root' },
        { name: 'pty', kind: 'bool' },
        { name: 'quiet', short: 'q', kind: 'bool' },
        { name: 'process-group', short: 'g', kind: 'string' },
        { name: 'container', kind: 'string' },
        { name: 'no-container', kind: 'bool' },
      ],
      run: lazy('./cmd-ssh.mjs', 'sshConsole'),
    }),
  ]),
  group(
    'volumes',
    [
      leaf('create', {
        path: 'volumes create',
        args: { min: 1, max: 1 },
        flags: [
          ...appFlags,
          json,
          yes,
          ...VM_SIZE_FLAGS,
          { name: 'region', short: 'r', kind: 'string' },
          { name: 'size', short: 's', kind: 'int', default: 1 },
          { name: 'count', short: 'n', kind: 'int', default: 1 },
          { name: 'snapshot-retention', kind: 'int', default: 5 },
          { name: 'scheduled-snapshots', kind: 'bool', default: true },
          { name: 'no-encryption', kind: 'bool' },
          { name: 'require-unique-zone', kind: 'bool', default: true },
          { name: 'unique-zone-app-wide', kind: 'bool' },
          { name: 'snapshot-id', kind: 'string' },
        ],
        run: lazy('./cmd-volumes.mjs', 'volumesCreate'),
      }),
      leaf('list', {
        path: 'volumes list',
        aliases: ['ls'],
        flags: [...appFlags, json, { name: 'all', kind: 'bool' }, { name: 'quiet', short: 'q', kind: 'bool' }],
        run: lazy('./cmd-volumes.mjs', 'volumesList'),
      }),
    ],
    ['volume', 'vol'],
  ),
  group('platform', [
    leaf('regions', { path: 'platform regions', flags: [json], run: lazy('./cmd-info.mjs', 'regions') }),
    leaf('vm-sizes', { path: 'platform vm-sizes', flags: [json], run: lazy('./cmd-info.mjs', 'vmSizes') }),
  ]),
]);
