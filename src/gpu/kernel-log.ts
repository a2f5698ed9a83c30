/**
 * The kernel log's XID events through `dmesg` (or $GPUCTL_DMESG), for diag and the agent: a log that
 * cannot be read is said with the reason (dmesg_restrict, no dmesg), never guessed as "no XID".
 */
import type { Ctx } from '../context.js';
import { parseXids, type XidReport } from './xid.js';

/** `env`: the child's environment when not ctx's (the agent keeps its token from children). */
export async function readKernelLog(ctx: Pick<Ctx, 'env' | 'exec'>, env?: Record<string, string | undefined>): Promise<XidReport> {
  const result = await ctx.exec({ file: ctx.env.GPUCTL_DMESG ?? 'dmesg', args: [], timeoutMs: 10_000, env });
  if (result.kind === 'not-found') return { readable: false, reason: 'dmesg is not installed' };
  if (result.kind !== 'exited') return { readable: false, reason: `dmesg did not finish (${result.kind})` };
  if (result.exitCode !== 0) {
    const why = (result.stderr.trim().split('\n').at(-1) ?? '').slice(0, 200);
    return { readable: false, reason: `dmesg exited ${result.exitCode}${why ? `: ${why}` : ''}` };
  }
  return { readable: true, events: parseXids(result.stdout) };
}
