/**
 * Kernels whose figure is the host's more than the GPU's. A pageable copy is staged by the CPU through
 * a bounce buffer in host memory, so it follows the host's memory system and scheduler:
 * - on the H200 host, two back-to-back runs differed by 33% (d2h_pageable, docs/captures/bench-h200.txt)
 *   while the within-run spread was 22%;
 * - on 4 × H200 (one NUMA node), GPU 0 alone gave h2d_pageable 8.7 to 10.1 GB/s and d2h_pageable 16.0
 *   to 18.3 GB/s over three runs, and with four GPUs copying at once each got 0.56 to 0.85 of that
 *   while every pinned copy stayed within 1% (docs/benchmarks.md).
 * They are measured and shown; neither the baseline gate nor the outlier rule judges a GPU by them.
 */
import { kernelKey } from './kernel-names.js';

export const HOST_BOUND: Readonly<Record<string, string>> = {
  [kernelKey('h2d_pageable')]: 'pageable copies depend on the host',
  [kernelKey('d2h_pageable')]: 'pageable copies depend on the host',
};

export const hostBound = (suite: string, name: string): string | null => HOST_BOUND[`${suite}/${name}`] ?? null;
