/** Pure parts of the build: the make command line, and what to show of a failed compile. */
export interface MakePlan {
  file: string;
  args: string[];
}

/** What compiles native/: nvcc for one GPU architecture, or the host C++ compiler alone (CPU suite). */
export type Toolchain =
  /** release: the exact build (V13.0.88) for the cache key and messages; version: 13.0 */
  | { kind: 'nvcc'; arch: string; file: string; release: string; version: string }
  | { kind: 'cxx'; file: string; version: string };

/** The file `make` leaves in $(OUT) for each toolchain (native/Makefile). */
export function producedName(toolchain: Toolchain): string {
  return toolchain.kind === 'nvcc' ? 'gpuctl-bench' : 'gpuctl-bench-cpu';
}

/**
 * `make -C native -jN ARCH=sm_90 OUT=/tmp/… NVCC=nvcc`: the default target builds $(OUT)/gpuctl-bench
 * for one architecture; `make -C native -jN cpu OUT=/tmp/… CXX=c++` builds $(OUT)/gpuctl-bench-cpu.
 */
export function makePlan(input: { make: string; nativeDir: string; toolchain: Toolchain; out: string; jobs: number }): MakePlan {
  const { toolchain } = input;
  const head = ['-C', input.nativeDir, `-j${Math.max(1, input.jobs)}`];
  return {
    file: input.make,
    args:
      toolchain.kind === 'nvcc'
        ? [...head, `ARCH=${toolchain.arch}`, `OUT=${input.out}`, `NVCC=${toolchain.file}`]
        : [...head, 'cpu', `OUT=${input.out}`, `CXX=${toolchain.file}`],
  };
}

/** "for sm_90 with nvcc 13.0" / "(CPU suite) with g++ (Debian 12.2.0-14) 12.2.0": for messages. */
export function toolchainText(toolchain: Toolchain): string {
  return toolchain.kind === 'nvcc' ? `for ${toolchain.arch} with nvcc ${toolchain.release}` : `(CPU suite) with ${toolchain.version}`;
}

const ERROR_LINE = /(\berror\b|\bfatal\b|\*\*\*|undefined reference|No rule to make target|not found)/i;
const NOISE = /^(make(\[\d+\])?: (Entering|Leaving) directory|In file included from|\s*\^\s*$)/;

/**
 * The compiler's first error lines (with the source line nvcc prints after each), at most `limit`;
 * when nothing looks like an error, the last lines of the output.
 */
export function compilerErrors(output: string, limit = 8): string[] {
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '' && !NOISE.test(line));
  const picked: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (!ERROR_LINE.test(line)) continue;
    picked.push(line);
    const next = lines[i + 1];
    // nvcc/gcc echo the offending source line after "file(12): error: …"; keep it once.
    if (next !== undefined && /^\s/.test(next) && !ERROR_LINE.test(next)) picked.push(next);
    if (picked.length >= limit) break;
  }
  return (picked.length ? picked : lines.slice(-limit)).slice(0, limit).map((line) => line.trimEnd());
}

/** "nvcc … -c src/gemm.cu -o …" (or g++ …) → "gemm.cu": what make is compiling now, for the progress line. */
export function compilingWhat(line: string): string | undefined {
  const match = /\s-c\s+(\S+\.(?:cu|cpp|cc|c))\b/.exec(line);
  return match?.[1]?.split('/').at(-1);
}
