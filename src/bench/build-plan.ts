/** Pure parts of the build: the make command line, and what to show of a failed compile. */
export interface MakePlan {
  file: string;
  args: string[];
}

/** `make -C native -jN ARCH=sm_90 OUT=/tmp/… NVCC=nvcc`: the default target builds $(OUT)/gpuctl-bench for one architecture. */
export function makePlan(input: { make: string; nativeDir: string; arch: string; out: string; nvcc: string; jobs: number }): MakePlan {
  return {
    file: input.make,
    args: ['-C', input.nativeDir, `-j${Math.max(1, input.jobs)}`, `ARCH=${input.arch}`, `OUT=${input.out}`, `NVCC=${input.nvcc}`],
  };
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

/** "nvcc … -c src/gemm.cu -o …" → "gemm.cu": what make is compiling now, for the progress line. */
export function compilingWhat(line: string): string | undefined {
  const match = /\s-c\s+(\S+\.(?:cu|cpp|cc|c))\b/.exec(line);
  return match?.[1]?.split('/').at(-1);
}
