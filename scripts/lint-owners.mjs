/**
 * The owner rules: for each concern the files that own it, and an ESLint rule that reports it anywhere
 * else (docs/architecture.md, "How it is kept"). eslint.config.js turns them on and re-exports them;
 * test/unit/lint/owners.test.ts and owners-env-time.test.ts prove each one fires and is on.
 */

/**
 * Who may touch `process`: cli.ts (the entry point hands argv, env, cwd, streams, signals and the host's
 * facts to the runtime) and exec.ts (the process adapter: it kills process groups and probes a pid).
 * Everything else gets what it needs from the Ctx (docs/architecture.md).
 */
export const PROCESS_OWNERS = ['src/cli.ts', 'src/exec.ts'];

const PROCESS_MESSAGE = 'only src/cli.ts and src/exec.ts touch `process`: take it from the Ctx (docs/architecture.md)';
const PROCESS_PROPERTY = { object: 'globalThis', property: 'process', message: PROCESS_MESSAGE };

export function processRule() {
  const message = PROCESS_MESSAGE;
  return {
    files: ['src/**/*.ts'],
    ignores: PROCESS_OWNERS,
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message }],
      'no-restricted-properties': ['error', PROCESS_PROPERTY, ...envProperties()],
      'no-restricted-imports': ['error', { paths: ['node:process', 'process'].map((name) => ({ name, message })) }],
    },
  };
}

/**
 * Who reads which environment variable: the step summary's file (ui/step-summary.ts appends to it, with
 * the warning when it cannot) and the XDG directories (shared/paths.ts resolves them, defaults and all).
 * Read as `env.NAME`, `env['NAME']` or `const { NAME } = env` anywhere else, they are reported.
 */
export const ENV_OWNERS = {
  'src/ui/step-summary.ts': ['GITHUB_STEP_SUMMARY'],
  'src/shared/paths.ts': ['XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR'],
};

function envProperties(owner) {
  return Object.entries(ENV_OWNERS)
    .filter(([file]) => file !== owner)
    .flatMap(([file, names]) =>
      names.map((property) => ({ property, message: `only ${file} reads ${property}: call it instead (docs/architecture.md)` })),
    );
}

/**
 * The env owners' own blocks. ESLint keeps only the last options given to a rule for a file, so the
 * owners (and the process owners, which processRule skips) get their no-restricted-properties here,
 * each without its own variables: processRule's list, minus what the file owns.
 */
export function envRule() {
  return [
    ...Object.keys(ENV_OWNERS).map((owner) => ({
      files: [owner],
      rules: {
        'no-restricted-properties': ['error', ...(PROCESS_OWNERS.includes(owner) ? [] : [PROCESS_PROPERTY]), ...envProperties(owner)],
      },
    })),
    { files: PROCESS_OWNERS, rules: { 'no-restricted-properties': ['error', ...envProperties()] } },
  ];
}

/**
 * Who writes to the terminal: the commands (they own their output), ui/, runtime.ts and cli.ts. Core
 * code returns values or emits events for its command to print, and shows progress through ctx.spinner.
 */
export const TERMINAL_OWNERS = ['src/commands/**', 'src/ui/**', 'src/runtime.ts', 'src/cli.ts'];

export function terminalRule() {
  const message =
    'core code does not write to the terminal: return a value or emit an event for the command to print (docs/architecture.md)';
  return {
    files: ['src/**/*.ts'],
    ignores: TERMINAL_OWNERS,
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='ctx'][property.name=/^(stdout|stderr)$/]", message }],
    },
  };
}

/**
 * One owner for a concern that a syntax selector can spot: the matching nodes anywhere in src/ but the
 * owners are errors. Each owner rule is its own plugin rule (gpuctl-<name>/owner), so it never replaces
 * another config's options for a core rule such as no-restricted-syntax.
 */
function ownerRule(name, { owners, selector, message }) {
  const rule = {
    meta: { type: 'problem', schema: [] },
    create: (context) => ({ [selector]: (node) => context.report({ node, message }) }),
  };
  return {
    files: ['src/**/*.ts'],
    ignores: owners,
    plugins: { [`gpuctl-${name}`]: { rules: { owner: rule } } },
    rules: { [`gpuctl-${name}/owner`]: 'error' },
  };
}

/**
 * Who parses TOML: flyio/fly-toml.ts, the one reader of fly.toml (strict UTF-8, one problem text, the
 * typed model); init/toml-merge.ts re-parses the text it generates; autoscale/policy.ts reads its own
 * policy files (not fly.toml).
 */
export const TOML_OWNERS = ['src/flyio/fly-toml.ts', 'src/init/toml-merge.ts', 'src/autoscale/policy.ts'];

export function tomlRule() {
  return ownerRule('toml', {
    owners: TOML_OWNERS,
    selector: "ImportDeclaration[source.value='smol-toml'], ImportExpression[source.value='smol-toml']",
    message:
      'fly.toml is read through src/flyio/fly-toml.ts (readFlyToml/parseFlyToml and its model): do not parse TOML here (docs/architecture.md)',
  });
}

/**
 * Who spells the agent's metric names: shared/agent-metrics.ts (AGENT_METRIC), the one table of the
 * series `gpuctl agent` exports; everything else names them from it. alerts/ still writes them in its
 * PromQL and promtool fixtures (to move to AGENT_METRIC with alerts' next change).
 */
export const METRIC_NAME_OWNERS = ['src/shared/agent-metrics.ts', 'src/alerts/**'];

export function metricNameRule() {
  const name = '(DCGM_FI_[A-Z_]+|gpuctl_(gpu|agent|host|diag)_[a-z_]+)';
  return ownerRule('metric-names', {
    owners: METRIC_NAME_OWNERS,
    selector: `Literal[value=/^${name}$/], TemplateElement[value.raw=/(^|[^A-Za-z_])${name}/]`,
    message: "the agent's metric names are spelled once, in src/shared/agent-metrics.ts: use AGENT_METRIC (docs/architecture.md)",
  });
}

/**
 * Who finds and runs nvidia-smi: gpu/smi-probe.ts (smiBinary: GPUCTL_NVIDIA_SMI or nvidia-smi; execSmi/runSmi:
 * the timeout and the one failure classifier; streamSmi: the streaming form, the only user of ctx.stream) and
 * gpu/smi-text.ts (smiValue: the one "[N/A]" rule). Everything else goes through them: reading GPUCTL_NVIDIA_SMI,
 * naming nvidia-smi as a file to run, starting a stream (ctx.stream, exec.ts startStream) or spelling "N/A" /
 * the bracket rule are reported.
 */
export const SMI_OWNERS = ['src/gpu/smi-probe.ts', 'src/gpu/smi-text.ts'];

export function smiRule() {
  return ownerRule('smi', {
    owners: SMI_OWNERS,
    selector: [
      'MemberExpression[property.name=/^GPUCTL_NVIDIA_SMI/]',
      "Property[key.name='file'][value.value='nvidia-smi']",
      "MemberExpression[object.name='ctx'][property.name='stream']",
      "ImportSpecifier[imported.name='startStream']",
      'Literal[value=/^\\[?N\\/A\\]?$/]',
      "Literal[regex.pattern='^\\\\[.*\\\\]$']",
    ].join(', '),
    message:
      'nvidia-smi is found, run and streamed through src/gpu/smi-probe.ts (smiBinary, execSmi, runSmi, streamSmi), its "[N/A]" cells read by gpu/smi-text.ts smiValue (docs/architecture.md)',
  });
}

/**
 * Who owns the screen: the commands (and ui/, runtime.ts, cli.ts) start spinners and print results. A feature
 * emits typed events its command shows (deploy's phases, bench's kernels) and returns its result for the command
 * to print; it never calls ctx.spinner or ctx.print (terminalRule keeps ctx.stdout/ctx.stderr to the same owners).
 */
export const SCREEN_OWNERS = TERMINAL_OWNERS;

export function screenRule() {
  return ownerRule('screen', {
    owners: SCREEN_OWNERS,
    selector: [
      "MemberExpression[object.name='ctx'][property.name=/^(spinner|print)$/]",
      "MemberExpression[object.name='ctx'][property.value=/^(spinner|print)$/]",
      "VariableDeclarator[init.name='ctx'] > ObjectPattern > Property[key.name=/^(spinner|print)$/]",
    ].join(', '),
    message:
      'a feature emits events and returns results; its command starts the spinners and prints (ctx.spinner, ctx.print) (docs/architecture.md)',
  });
}

/**
 * Who writes stdout: ui/ (`ctx.print` for a result, `streamWriter` for a stream of records or a plan shown before
 * its action), runtime.ts and cli.ts. A command prints through them, never `ctx.stdout.write` directly, so --json
 * always gets JSON and every string is made printable. (A command's notes to stderr are its own.)
 */
export const STDOUT_OWNERS = ['src/ui/**', 'src/runtime.ts', 'src/cli.ts'];

export function stdoutRule() {
  return ownerRule('stdout', {
    owners: STDOUT_OWNERS,
    selector: "CallExpression > MemberExpression.callee[property.name='write'][object.property.name='stdout'][object.object.name='ctx']",
    message: 'stdout is written through ui/output.ts: ctx.print for a result, streamWriter for a stream or a plan (docs/architecture.md)',
  });
}

/**
 * Who reads the time and owns timers: shared/clock.ts, the one clock (wall time, monotonic time, sleep,
 * after, every), which runtime.ts puts on the context as ctx.clock and unit tests replace with a fake.
 * Everything else asks ctx.clock (or the clock its command hands in); exec.ts and http-read.ts take the
 * real one from shared/clock.ts. GPUCTL_NOW, the one test hook on time, is read by runtime.ts only.
 */
/**
 * One HTTP client (issue 22: "fetch only in its adapter"): shared/http-read.ts bounds every body and
 * deadline (issue 18). Elsewhere no fetch and no client from node:http/https or undici; a server
 * (the agent's createServer) is not a client and stays allowed.
 */
export const HTTP_CLIENT_OWNERS = ['src/shared/http-read.ts'];

export function httpClientRule() {
  return ownerRule('http-client', {
    owners: HTTP_CLIENT_OWNERS,
    selector: [
      "CallExpression[callee.name='fetch']",
      "MemberExpression[object.name='globalThis'][property.name='fetch']",
      'ImportDeclaration[source.value=/^(node:)?https?$/] ImportSpecifier[imported.name=/^(request|get|Agent)$/]',
      'ImportDeclaration[source.value=/^(node:)?https?$/] ImportDefaultSpecifier',
      'ImportDeclaration[source.value=/^(node:)?https?$/] ImportNamespaceSpecifier',
      'ImportDeclaration[source.value=/^undici/]',
    ].join(', '),
    message:
      'HTTP requests go through src/shared/http-read.ts (a body cap and one deadline for headers and body): no fetch or http(s) client here (docs/architecture.md)',
  });
}

export const CLOCK_OWNERS = ['src/shared/clock.ts'];
export const NOW_HOOK_OWNERS = ['src/runtime.ts'];

export function clockRule() {
  const timers = '/^(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|clearImmediate)$/';
  return [
    ownerRule('clock', {
      owners: CLOCK_OWNERS,
      selector: [
        "CallExpression[callee.object.name='Date'][callee.property.name='now']",
        "MemberExpression[object.name='performance'][property.name='now']",
        "NewExpression[callee.name='Date'][arguments.length=0]",
        "CallExpression[callee.name='Date']",
        `CallExpression[callee.name=${timers}]`,
        `MemberExpression[object.name='globalThis'][property.name=${timers}]`,
        "MemberExpression[object.name='globalThis'][property.name='performance']",
        'ImportDeclaration[source.value=/^(node:)?(timers|timers\\/promises|perf_hooks)$/]',
      ].join(', '),
      message:
        'time comes from ctx.clock (src/shared/clock.ts: now, monotonic, sleep, after, every): no Date.now, performance.now, new Date() or global timers here (docs/architecture.md)',
    }),
    ownerRule('now-hook', {
      owners: NOW_HOOK_OWNERS,
      selector: "Literal[value='GPUCTL_NOW'], MemberExpression[property.name='GPUCTL_NOW']",
      message: 'GPUCTL_NOW is read once, by src/runtime.ts when it builds ctx.clock: take the time from ctx.clock (docs/architecture.md)',
    }),
  ];
}

/**
 * Who reads files: shared/regular-file.ts, the one reader of a file someone else put there (a non-blocking open, only a
 * regular file: a FIFO once froze the agent in open()). The others read what is not the user's: /proc and /sys
 * (process-tree.ts, gpu/host.ts), gpuctl's own package (paths.ts, init/templates.ts, init/agent-package.ts).
 */
export const FILE_READ_OWNERS = [
  'src/shared/regular-file.ts',
  'src/shared/process-tree.ts',
  'src/gpu/host.ts',
  'src/shared/paths.ts',
  'src/init/templates.ts',
  'src/init/agent-package.ts',
];

export function fileReadRule() {
  return ownerRule('file-read', {
    owners: FILE_READ_OWNERS,
    selector: [
      'ImportDeclaration[source.value=/^(node:)?fs(\\/promises)?$/] ImportSpecifier[imported.name=/^(readFile|readFileSync|createReadStream)$/]',
      'ImportDeclaration[source.value=/^(node:)?fs(\\/promises)?$/] ImportDefaultSpecifier',
      'ImportDeclaration[source.value=/^(node:)?fs(\\/promises)?$/] ImportNamespaceSpecifier',
    ].join(', '),
    message:
      'files are read through src/shared/regular-file.ts (readRegularFile: a non-blocking open, only a regular file): no fs readFile here (docs/architecture.md)',
  });
}
