/** Robust statistics over timing samples: median and the median absolute deviation. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median (0 for fewer than two samples). */
export function mad(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** MAD scaled to estimate one standard deviation of normally distributed samples. */
export const MAD_TO_SIGMA = 1.4826;

export function robustSigma(values: readonly number[]): number {
  return MAD_TO_SIGMA * mad(values);
}
