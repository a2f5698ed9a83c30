// Fake nvidia-smi: replays a recorded capture (FAKE_NVIDIA_SMI_FIXTURE, a path relative to
// test/fixtures/nvidia-smi or absolute) and reproduces the real tool's failure texts and exit codes
// (FAKE_NVIDIA_SMI_MODE). Each call appends its argv as a JSON line to FAKE_NVIDIA_SMI_LOG if set.
// FAKE_NVIDIA_SMI_LEAVE_CHILD (a file): first starts a child holding stdout, as `sleep 1000 &` would (../leave-child.mjs).
import { appendFileSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { computeApps, loop, loopInterval, oneShotRecords } from './loop.mjs';
import { gpuInstances, renderLgi } from './mig.mjs';
import { loadCapture } from './sources.mjs';
import { leaveChild } from '../leave-child.mjs';

const FIXTURES = new URL('../../fixtures/nvidia-smi/', import.meta.url).pathname;
const args = process.argv.slice(2);
const env = process.env;
const out = (text) => process.stdout.write(text);
const fail = (text, code, stream = process.stdout) => {
  stream.write(text);
  process.exit(code);
};

if (env.FAKE_NVIDIA_SMI_LOG) appendFileSync(env.FAKE_NVIDIA_SMI_LOG, `${JSON.stringify(args)}\n`);
if (env.FAKE_NVIDIA_SMI_PIDFILE) appendFileSync(env.FAKE_NVIDIA_SMI_PIDFILE, `${process.pid}\n`);
leaveChild(env.FAKE_NVIDIA_SMI_LEAVE_CHILD);

// The real failure modes, texts as nvidia-smi prints them.
const MODES = {
  'no-driver': () =>
    fail(
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n",
      9,
    ),
  'no-devices': () => fail('No devices were found\n', 6),
  mismatch: () => fail('Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 580.159\n', 18),
  'no-nvml': () =>
    fail(
      "NVIDIA-SMI couldn't find libnvidia-ml.so library in your system. Please make sure that the NVIDIA Display Driver is properly installed and present in your system.\nPlease also try adding directory that contains libnvidia-ml.so to your system PATH.\n",
      12,
    ),
  'lost-gpu': () => fail('Unable to determine the device handle for GPU0000:00:06.0: Unknown Error\n', 15),
  hang: () => setInterval(() => undefined, 60_000),
  garbage: () => fail('\u001b[31m<html><body>502 Bad Gateway</body></html>\n', 0),
  crash: () => process.kill(process.pid, 'SIGSEGV'),
  // An nvidia-smi that is a Python wrapper (pynvml) dying with a traceback on stderr, exit 1.
  traceback: () =>
    fail(
      'Traceback (most recent call last):\n' +
        '  File "/usr/local/bin/nvidia-smi", line 8, in <module>\n    sys.exit(main())\n' +
        '  File "/usr/local/lib/python3.12/site-packages/pynvml.py", line 2248, in nvmlInit\n    _nvmlCheckReturn(ret)\n' +
        '  File "/usr/local/lib/python3.12/site-packages/pynvml.py", line 979, in _nvmlCheckReturn\n    raise NVMLError(ret)\n' +
        'pynvml.NVMLError_Unknown: Unknown Error\n',
      1,
      process.stderr,
    ),
  // A failing exit whose output carries terminal control sequences (title, clear screen, bell, NUL).
  'control-bytes': () =>
    fail('\u001b]0;owned\u0007\u001b[2J\u0000Unable to determine the device handle: \u001b[31mUnknown Error\u001b[0m\n', 15),
};
function validFields() {
  // Every field name and alias the real tool accepts, from its own --help-query-gpu.
  const help = readFileSync(join(FIXTURES, 'h200-x1/help-query-gpu.txt'), 'utf8');
  const canonical = new Map();
  for (const line of help.split('\n')) {
    const names = [...line.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    if (line.startsWith('"') && names.length) for (const n of names) canonical.set(n, names);
  }
  return canonical;
}

const UNIT = (field) =>
  /^memory\./.test(field)
    ? 'MiB'
    : /^power\./.test(field)
      ? 'W'
      : /^clocks\./.test(field)
        ? 'MHz'
        : /^utilization\./.test(field)
          ? '%'
          : '';

/** The text of one --query-gpu answer (or exits as the real tool does on a bad field or format). */
function renderQuery(spec, format, records) {
  const canonical = validFields();
  const fields = spec.split(',');
  for (const f of fields) {
    const blocked = (mode === 'old-driver' && f === 'compute_cap') || (env.FAKE_NVIDIA_SMI_UNKNOWN_FIELDS ?? '').split(',').includes(f);
    if (!canonical.has(f) || blocked) fail(`Field "${f}" is not a valid field to query.\n\n`, 2);
  }
  const opts = new Set(format.split(','));
  if (!opts.has('csv')) fail(`"${format}" is not a valid format.\n`, 2);
  const lines = [];
  if (!opts.has('noheader')) lines.push(fields.map((f) => (UNIT(f) && !opts.has('nounits') ? `${f} [${UNIT(f)}]` : f)).join(', '));
  for (const record of records) {
    lines.push(
      fields
        .map((f) => {
          const aliases = canonical.get(f);
          const key = aliases[0];
          const v = key === 'count' ? String(records.length) : aliases.map((a) => record[a]).find((x) => x !== undefined);
          if (v === undefined || v === null || v === '' || v === 'N/A') return '[N/A]';
          return /^\[/.test(v) || opts.has('nounits') || !UNIT(key) ? v : `${v} ${UNIT(key)}`;
        })
        .join(', '),
    );
  }
  let text = `${lines.join('\n')}\n`;
  if (mode === 'truncated') text = text.slice(0, Math.floor(text.length / 2));
  return text;
}

function run() {
  const fixture = env.FAKE_NVIDIA_SMI_FIXTURE;
  if (!fixture) fail('fake nvidia-smi: set FAKE_NVIDIA_SMI_FIXTURE\n', 99, process.stderr);
  const { records, files } = loadCapture(isAbsolute(fixture) ? fixture : join(FIXTURES, fixture));
  const q = args.find((a) => a.startsWith('--query-gpu='));
  const format = args.find((a) => a.startsWith('--format='));
  const replay = (text) =>
    text === undefined ? fail('fake nvidia-smi: this capture has no recording for that invocation\n', 99, process.stderr) : out(text);
  if (q && !format) fail('Please specify the output format with --format.\n', 2);
  const render = (recs) => renderQuery(q.slice('--query-gpu='.length), format.slice('--format='.length), recs);
  const every = loopInterval(args);
  if (q && every !== undefined) return loop(every, records, render, env);
  if (q) return out(render(oneShotRecords(records, env)));
  const apps = args.find((a) => a.startsWith('--query-compute-apps='));
  if (apps) {
    if (!format) fail('Please specify the output format with --format.\n', 2);
    const answer = computeApps(apps.slice('--query-compute-apps='.length), format.slice('--format='.length), env);
    return answer.exitCode ? fail(answer.text, answer.exitCode) : out(answer.text);
  }
  if (args.length === 0) return replay(files.table);
  if (args.length === 1 && args[0] === '-L')
    return replay(files.list ?? records.map((r) => `GPU ${r.index}: ${r.name} (UUID: ${r.uuid})\n`).join(''));
  if (args.includes('-q') && args.includes('-x')) return replay(files.xml);
  if (args.length === 1 && args[0] === '-q') return replay(files.q);
  if (args.length === 2 && args[0] === 'topo' && args[1] === '-m') return replay(files.topo);
  if (args.length === 2 && args[0] === 'nvlink' && (args[1] === '--status' || args[1] === '-s')) return replay(files.nvlink);
  if (args[0] === 'mig') return mig(args.slice(1), files, records);
  if (args.includes('-mig')) return setMig(args, records);
  if (args.length === 1 && args[0] === '--help-query-gpu')
    return replay(readFileSync(join(FIXTURES, 'h200-x1/help-query-gpu.txt'), 'utf8'));
  fail(`Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.\n\n`, 2);
}

/** `-i N` in an argv: the GPU it names (null: every GPU). */
function gpuIndex(argv, records) {
  const at = argv.indexOf('-i');
  if (at < 0) return null;
  const index = Number(argv[at + 1]);
  if (!Number.isInteger(index) || !records[index]) fail(`No devices were found\n`, 6);
  return index;
}

// `nvidia-smi mig -lgi [-i N]`: the capture's GPU instances; none with FAKE_NVIDIA_SMI_MIG_INSTANCES=none,
// the real lost-GPU failure (exit 15) with =lost-gpu, a failure that prints a table heading with =failed-listing.
function mig(argv, files, records) {
  if (!argv.includes('-lgi')) fail(`fake nvidia-smi: mig ${argv.join(' ')} is not recorded\n`, 99, process.stderr);
  const only = gpuIndex(argv, records);
  const enabled = records
    .map((r, i) => ({ i, on: r['mig.mode.current'] === 'Enabled' }))
    .filter((g) => g.on && (only === null || g.i === only));
  if (enabled.length === 0) fail('No MIG-enabled devices found.\n', 6);
  if (env.FAKE_NVIDIA_SMI_MIG_INSTANCES === 'lost-gpu')
    fail(`Unable to determine the device handle for GPU${records[enabled[0].i]['pci.bus_id'].slice(4)}: Unknown Error\n`, 15);
  // A failure whose text still holds a table heading: only the exit status tells it apart.
  if (env.FAKE_NVIDIA_SMI_MIG_INSTANCES === 'failed-listing')
    fail(`| GPU instances:                                        |\nFailed to display GPU instances: Insufficient Permissions\n`, 4);
  const none = env.FAKE_NVIDIA_SMI_MIG_INSTANCES === 'none';
  const listed = enabled.map(({ i }) => renderLgi(none ? [] : gpuInstances(files.q, files.list, i), i));
  const tables = listed.filter((l) => l.code === 0);
  if (tables.length === 0) fail(listed[0].text, listed[0].code);
  out(tables.map((l) => l.text).join(''));
}

// `nvidia-smi [-i N] -mig 0|1`: the real confirmation text (the call itself is in FAKE_NVIDIA_SMI_LOG).
function setMig(argv, records) {
  const value = argv[argv.indexOf('-mig') + 1];
  if (value !== '0' && value !== '1') fail(`Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.\n\n`, 2);
  const only = gpuIndex(argv, records);
  const lines = records
    .filter((_, i) => only === null || i === only)
    .map((r) => `${value === '0' ? 'Disabled' : 'Enabled'} MIG Mode for GPU ${r['pci.bus_id']}`);
  out(`${lines.join('\n')}\nAll done.\n`);
}

const mode = env.FAKE_NVIDIA_SMI_MODE ?? 'ok';
if (mode !== 'ok' && mode !== 'truncated' && mode !== 'old-driver') {
  if (!MODES[mode]) fail(`fake nvidia-smi: unknown FAKE_NVIDIA_SMI_MODE ${mode}\n`, 99, process.stderr);
  MODES[mode]();
} else {
  run();
}
