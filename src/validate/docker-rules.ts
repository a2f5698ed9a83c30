/** Dockerfile rules for GPU images: the platform's driver, the CUDA userland it runs, root, devel images. */
import { compareCuda } from '../gpu/cuda-driver.js';
import { installedPackages, lineage, rootImage, type Stage, type Word } from '../shared/dockerfile.js';
import { finding, type Finding } from '../shared/findings.js';

export interface DockerTarget {
  /** The newest CUDA the target's driver runs, e.g. "12.3"; null when the image runs without a GPU. */
  maxCuda: string | null;
  driverVersion: string | null;
  /** True when a fly.toml says the target has a GPU; false when the target is only assumed. */
  known: boolean;
}

/** Driver packages: the platform supplies the driver; a second copy in the image breaks or shadows it. */
const DRIVER_PACKAGE =
  /^(?:cuda-drivers(?:-\d+)?|nvidia-driver-\d+.*|nvidia-dkms-.*|nvidia-kernel-.*|nvidia-utils-\d+.*|libnvidia-(?:compute|gl|decode|encode|extra|fbc1|cfg1|common)-\d+.*|cuda|cuda-\d+-\d+|cuda-runtime-\d+-\d+)$/;
const DRIVER_INSTALLER = /NVIDIA-Linux-.*\.run/;
const CUDA_PACKAGE = /^(?:cuda|lib(?:cu|npp|nv))[a-z0-9-]*?-(\d+)-(\d+)$/;
const CUDA_IMAGE = /(?:^|\/)cuda:(\d+)\.(\d+)|cuda(\d+)\.(\d+)/;
const TORCH_INDEX = /download\.pytorch\.org\/whl\/cu(\d{2})(\d)\b/;
const PRIVILEGE_DROP = /\b(?:gosu|su-exec|setpriv|runuser|chpst|s6-setuidgid)\b/;
const DEVEL_IMAGE = /cuda.*devel|devel.*cuda|^(?:.*\/)?pytorch:.*devel/i;
const TOOLKIT_PACKAGE = /^cuda-(?:toolkit|nvcc)(?:-\d+-\d+)?$/;

function cudaOf(text: string, pattern: RegExp): string | null {
  const m = pattern.exec(text);
  if (!m) return null;
  const [major, minor] = m.slice(1).filter((g) => g !== undefined);
  return major && minor ? `${major}.${minor}` : null;
}

export function driverRule(stages: readonly Stage[], file: string): Finding[] {
  return stages.flatMap((stage) =>
    stage.steps.flatMap((s) => {
      if (s.keyword !== 'RUN') return [];
      const packages = installedPackages(s).filter((p) => DRIVER_PACKAGE.test(p.value));
      const installers = s.words.filter((w) => DRIVER_INSTALLER.test(w.value));
      return [...packages, ...installers].map((w) =>
        finding(
          'dockerfile-driver-packages',
          file,
          w,
          `${w.value} installs (part of) an NVIDIA driver; the platform supplies the driver, and a second one in the image breaks it.`,
          'Remove it; install only CUDA userland libraries (e.g. cuda-cudart-12-3, libcublas-12-3), or start from an nvidia/cuda runtime or base image.',
        ),
      );
    }),
  );
}

export function cudaRule(stages: readonly Stage[], file: string, target: DockerTarget): Finding[] {
  if (!target.maxCuda) return [];
  const max = target.maxCuda;
  const uses: Array<{ version: string; where: Word; what: string }> = [];
  for (const stage of stages) {
    const fromImage = cudaOf(stage.base, CUDA_IMAGE);
    if (fromImage)
      uses.push({
        version: fromImage,
        where: { value: stage.base, line: stage.baseLine, column: 1 },
        what: `the base image ${stage.base}`,
      });
    for (const s of stage.steps.filter((st) => st.keyword === 'RUN')) {
      for (const p of installedPackages(s)) {
        const version = cudaOf(p.value, CUDA_PACKAGE);
        if (version) uses.push({ version, where: p, what: `the package ${p.value}` });
      }
      for (const w of s.words) {
        const version = cudaOf(w.value, TORCH_INDEX);
        if (version) uses.push({ version, where: w, what: `PyTorch wheels for CUDA ${version}` });
      }
    }
  }
  const driver = target.driverVersion ? `driver ${target.driverVersion}` : 'the driver';
  const assumed = target.known ? '' : ' (assumed: Fly GPU Machines; no fly.toml says otherwise)';
  return uses
    .filter((u) => compareCuda(u.version, max) > 0)
    .map((u) => {
      const sameMajor = u.version.split('.')[0] === max.split('.')[0];
      const why = sameMajor
        ? 'CUDA minor-version compatibility runs some of it, but PTX from the newer toolchain cannot be JIT-compiled and newer APIs fail'
        : 'a newer CUDA major version does not run on it at all';
      return finding(
        'dockerfile-cuda-too-new',
        file,
        u.where,
        `${u.what} needs CUDA ${u.version}; ${driver}${assumed} runs CUDA ${max} at most: ${why}.`,
        `Use a CUDA ${max} userland (e.g. nvidia/cuda:${max}.x images, *-${max.replace('.', '-')} packages, or PyTorch wheels for a CUDA <= ${max}).`,
        sameMajor ? 'warning' : 'error',
      );
    });
}

export function rootRule(stages: readonly Stage[], file: string): Finding[] {
  const final = stages.at(-1);
  if (!final) return [];
  const steps = lineage(final)
    .reverse()
    .flatMap((s) => s.steps);
  const user = steps.filter((s) => s.keyword === 'USER').at(-1);
  const userName = user?.words[0]?.value.split(':')[0];
  if (userName !== undefined && userName !== 'root' && userName !== '0') return [];
  const runAs = steps
    .filter((s) => s.keyword === 'ENV')
    .flatMap((s) => [...s.text.matchAll(/\bGPUCTL_RUN_AS[=\s]+["']?([\w.-]+)/g)].map((m) => m[1]))
    .at(-1);
  if (runAs && runAs !== 'root' && runAs !== '0') return [];
  if (steps.some((s) => (s.keyword === 'ENTRYPOINT' || s.keyword === 'CMD') && PRIVILEGE_DROP.test(s.text))) return [];
  const where = user ? { line: user.line } : { line: final.baseLine };
  return [
    finding(
      'dockerfile-runs-as-root',
      file,
      where,
      'The application runs as root: nothing in the final stage switches to another user.',
      'Create a user (useradd --uid 10001 app) and add USER app, or drop privileges in the entrypoint after root-only steps (gpuctl-start.sh does, via GPUCTL_RUN_AS).',
    ),
  ];
}

export function develRule(stages: readonly Stage[], file: string): Finding[] {
  const final = stages.at(-1);
  if (!final) return [];
  const image = rootImage(final);
  const toolkit = lineage(final)
    .flatMap((s) => s.steps.filter((st) => st.keyword === 'RUN').flatMap(installedPackages))
    .find((p) => TOOLKIT_PACKAGE.test(p.value));
  if (!DEVEL_IMAGE.test(image) && !toolkit) return [];
  const what = toolkit ? `installs ${toolkit.value}` : `is ${image}`;
  return [
    finding(
      'dockerfile-devel-runtime',
      file,
      toolkit ?? { line: final.baseLine },
      `The image that runs ${what}: the whole CUDA toolkit (GBs) ships and starts with every machine.`,
      'Build in a devel stage (FROM nvidia/cuda:<version>-devel-<os> AS build) and copy the results into a stage FROM nvidia/cuda:<version>-runtime-<os> or -base-<os>.',
    ),
  ];
}
