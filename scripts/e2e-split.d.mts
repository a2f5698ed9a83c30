/** Types of scripts/e2e-split.mjs for the tests that import it. */
export function split(files: readonly string[], durations: ReadonlyMap<string, number>, n: number): string[][];
export function cachedDurations(root: string): Map<string, number>;
