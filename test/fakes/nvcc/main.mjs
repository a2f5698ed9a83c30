// Fake nvcc: reproduces nvcc 13.0's --version and --list-gpu-code texts, its "Unsupported gpu
// architecture" fatal error and its compile-error format and exit codes. A compile (-c) writes a
// placeholder object; a link writes an executable that IS the fake benchmark program
// (test/fakes/gpuctl-bench), stamped with the architectures it was built for.
// Knobs: FAKE_NVCC_LOG=file (argv as a JSON line per call), FAKE_NVCC_MODE=fail|hang|hang-version|
// broken-version, FAKE_NVCC_RELEASE=12.4.131 (another release; 12.0-12.7 list 12.4's targets).
import { appendFileSync, chmodSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const env = process.env;
const mode = env.FAKE_NVCC_MODE ?? 'ok';
if (env.FAKE_NVCC_LOG) appendFileSync(env.FAKE_NVCC_LOG, `${JSON.stringify(args)}\n`);
const hang = () => setInterval(() => undefined, 60_000);
const [major, minor, patch] = (env.FAKE_NVCC_RELEASE ?? '13.0.88').split('.');

// `--list-gpu-code` of the real releases: 13.0 (Turing and newer) and 12.4 (Maxwell to Hopper; 12.8 added Blackwell).
const TARGETS_13_0 = ['sm_75', 'sm_80', 'sm_86', 'sm_87', 'sm_88', 'sm_89', 'sm_90', 'sm_100', 'sm_110', 'sm_103', 'sm_120', 'sm_121'];
const TARGETS_12_4 = 'sm_50 sm_52 sm_53 sm_60 sm_61 sm_62 sm_70 sm_72 sm_75 sm_80 sm_86 sm_87 sm_89 sm_90'.split(' ');
const TARGETS = Number(major) === 12 && Number(minor) < 8 ? TARGETS_12_4 : TARGETS_13_0;

if (args.includes('--version')) {
  if (mode === 'hang-version') hang();
  else if (mode === 'broken-version') {
    process.stderr.write('/usr/local/cuda/bin/nvcc: error while loading shared libraries: libnvvm.so.4: cannot open shared object file\n');
    process.exit(127);
  } else {
    process.stdout.write(
      'nvcc: NVIDIA (R) Cuda compiler driver\nCopyright (c) 2005-2025 NVIDIA Corporation\nBuilt on Wed_Aug_20_01:58:59_PM_PDT_2025\n' +
        `Cuda compilation tools, release ${major}.${minor}, V${major}.${minor}.${patch}\nBuild cuda_${major}.${minor}.r${major}.${minor}/compiler.36424714_0\n`,
    );
  }
} else if (args.includes('--list-gpu-code')) {
  process.stdout.write(`${TARGETS.join('\n')}\n`);
} else {
  compile();
}

function compile() {
  // -gencode arch=compute_90,code=[sm_90,compute_90] | -arch=sm_90 | -arch sm_90
  const arches = [];
  for (const [i, a] of args.entries()) {
    const gencode = a === '-gencode' ? args[i + 1] : undefined;
    const m = gencode
      ? /arch=compute_(\d+)/.exec(gencode)
      : (/^-arch=(?:sm|compute)_(\d+)/.exec(a) ?? (a === '-arch' ? /(\d+)/.exec(args[i + 1] ?? '') : null));
    if (m) arches.push(`sm_${m[1]}`);
  }
  for (const arch of arches) {
    if (!TARGETS.includes(arch)) {
      process.stderr.write(`nvcc fatal   : Unsupported gpu architecture 'compute_${arch.slice(3)}'\n`);
      process.exit(1);
    }
  }
  const source = args.find((a) => /\.(cu|cpp|cc)$/.test(a)) ?? 'src/main.cu';
  if (mode === 'hang') return hang();
  if (mode === 'fail') {
    process.stderr.write(
      `${source}(12): error: identifier "undefined_symbol" is undefined\n      return undefined_symbol;\n             ^\n\n` +
        `${source}(20): error: expected a ";"\n\n2 errors detected in the compilation of "${source}".\n`,
    );
    process.exit(2);
  }
  const out = args[args.indexOf('-o') + 1];
  if (!args.includes('-o') || !out) {
    process.stderr.write('nvcc fatal   : No input files specified; use option --help for more information\n');
    process.exit(1);
  }
  if (args.includes('-c')) {
    writeFileSync(out, `FAKE OBJECT ${source} ${arches.join(',')}\n`);
    return;
  }
  const bench = fileURLToPath(new URL('../gpuctl-bench/main.mjs', import.meta.url));
  writeFileSync(
    out,
    `#!/usr/bin/env node\nglobalThis.FAKE_BENCH_BUILT = ${JSON.stringify(`fake ${arches.join(',')}`)};\nawait import(${JSON.stringify(bench)});\n`,
  );
  chmodSync(out, 0o755);
}
