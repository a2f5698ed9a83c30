// Builds the prebuilt benchmark program shipped in the package: `make -C native fat` (SASS and PTX for
// the architectures of native/fat-arches.json, the one list the Makefile and src/bench read too; CUDA
// runtime linked statically, so only the driver is needed) into a temp dir, then
// dist/native/gpuctl-bench, renamed into place. Run at prepack; needs nvcc (build it with CUDA 13:
// the shipped binary then needs an R580 driver). `gpuctl bench` uses it when a user has no nvcc.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaSync } from 'execa';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'gpuctl-bench-fat-'));
const jobs = `-j${Math.min(availableParallelism(), 8)}`;
const make = execaSync(process.env.MAKE || 'make', ['-C', join(root, 'native'), jobs, 'fat', `OUT=${out}`], {
  stdio: 'inherit',
  timeout: 60 * 60_000,
  reject: false,
});
if (make.failed) {
  rmSync(out, { recursive: true, force: true });
  console.error(`build:native-fat: make fat failed (${make.shortMessage}); is nvcc on PATH?`);
  process.exit(1);
}
const dest = join(root, 'dist/native');
mkdirSync(dest, { recursive: true });
const tmp = join(dest, `.gpuctl-bench.${process.pid}.tmp`);
copyFileSync(join(out, 'gpuctl-bench-fat'), tmp);
chmodSync(tmp, 0o755);
renameSync(tmp, join(dest, 'gpuctl-bench'));
rmSync(out, { recursive: true, force: true });
// What was built (its stamp names the architectures): fat-arches.json's, less any this nvcc does not know.
const { built } = JSON.parse(execaSync(join(dest, 'gpuctl-bench'), ['--version'], { timeout: 30_000 }).stdout);
console.log(`build:native-fat: wrote ${join(dest, 'gpuctl-bench')} (built ${built})`);
