/**
 * GpuctlAgentDown's promtool cases (promtool-cases.ts holds the others): an agent whose heartbeat stops (one sample,
 * then the staleness marker Prometheus writes when a scrape fails) on a machine that is still there, in both places
 * the rule runs, and the stops that are no agent down. Pure data.
 */
import type { Case, Labels, Series } from './types.js';

const HEARTBEAT = 'gpuctl_agent_sampler_up';

/** `down` and `well` are two machines' scrape labels (Hostname, instance, job) as a self-hosted Prometheus has them. */
export function agentDownCase(down: Labels, well: Labels): Case {
  const gone: Series[2] = { first: 1, then: 'stale' };
  const target = (labels: Labels) => ({ instance: labels.instance!, job: labels.job! });
  // Fly's hosted Prometheus: the agent's series carry Fly's app, region and instance (the machine id), as
  // fly_instance_up does; no `up` for the [metrics] scrape.
  const fly = { app: 'infer', region: 'ord', instance: '3d8d9e1a2b3c48' };
  const flyAgent = { ...fly, Hostname: down.Hostname!, job: 'gpuctl' };
  const flyVm = { ...fly, host: 'a1b2' };
  // One input for the firing cases and one for the quiet ones (each input is a promtool test group: CI time).
  return {
    series: [
      // Self-hosted: the heartbeat ends in a staleness marker while the target's `up` turns 0; the second machine answers.
      [HEARTBEAT, down, gone],
      ['up', target(down), { first: 1, then: 0 }],
      [HEARTBEAT, well, 1],
      ['up', target(well), 1],
      // Fly: the heartbeat ends while the machine's VM still reports.
      [HEARTBEAT, flyAgent, gone],
      ['fly_instance_up', flyVm, 1],
    ],
    fires: [{ labels: { Hostname: down.Hostname!, instance: down.instance! } }, { labels: { ...fly, Hostname: down.Hostname! } }],
    quiet: [
      [
        // A Fly machine stopped (autostop, `fly machine stop`) or destroyed: its VM stops reporting too.
        [HEARTBEAT, flyAgent, gone],
        ['fly_instance_up', flyVm, gone],
        // Self-hosted, a target gone from service discovery (the machine left <app>.internal): no `up` either.
        [HEARTBEAT, down, gone],
        ['up', target(down), gone],
        // A machine without an agent (GPUCTL_AGENT=off, another app of the organisation): never seen, never missed.
        ['fly_instance_up', { ...flyVm, app: 'other', instance: '91aa' }, 1],
      ],
    ],
  };
}
