/**
 * The kernels of native/src/kernels.inc that the CLI names by hand (a ceiling, a host-bound list, the
 * cluster views), each with its suite: the one TypeScript copy of those names. Code elsewhere in
 * src/bench takes a name from here (typed KernelName, so a misspelling fails the type check), and
 * test/unit/bench/kernel-table.test.ts checks every entry against the table's rows, so a renamed or
 * moved kernel fails a test instead of silently dropping a view.
 */
export const KERNELS = {
  memcpy_d2d: 'memory',
  h2d_pageable: 'memory',
  d2h_pageable: 'memory',
  p2p_ce_uni: 'links',
  p2p_ce_bidir: 'links',
  p2p_sm_uni: 'links',
  p2p_sm_bidir: 'links',
  p2p_latency: 'links',
  all_reduce: 'collectives',
  all_gather: 'collectives',
  reduce_scatter: 'collectives',
  broadcast: 'collectives',
} as const;

export type KernelName = keyof typeof KERNELS;

/** { suite, name } of a named kernel. */
export function kernelRef<N extends KernelName>(name: N): { readonly suite: (typeof KERNELS)[N]; readonly name: N } {
  return { suite: KERNELS[name], name };
}

/** "suite/name", the key the baseline gate and the outlier rule use. */
export const kernelKey = (name: KernelName): string => `${KERNELS[name]}/${name}`;
