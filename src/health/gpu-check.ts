/**
 * The GPU verdict where it really is on Fly: the generated layout serves /gpu-health from gpuctl agent
 * on the private metrics port (9091), which only Fly's `[checks.gpu]` reaches; the public hostname
 * reaches the application's port. So `gpuctl health` reads each machine's `gpu` check from
 * `flyctl checks list --json` (facts §2.3: machine ID → [{name, status, output, updated_at}]) and reads
 * the check's output as the agent's body. A passing HTTP check's output is the served body as is (docs/fly-operations.md,
 * "What Fly puts in a check's output"); for a non-2xx answer no public source shows the text, so the body is read
 * bare or after "Output:"; a JSON object in it is the agent's document. Pure.
 */
import type { FlyAppStatus, FlyChecksByMachine } from '../flyio/schemas.js';
import { conditionLine, readGpuHealthBody, type FailedCondition } from './gpu-body.js';

/** The name of the top-level check the generated fly.toml declares (`[checks.gpu]`, templates/fly.toml). */
export const GPU_CHECK_NAME = 'gpu';

export interface GpuCheckResult {
  machine: string;
  region: string;
  /** Fly's status of the check: passing, warning, critical. */
  status: string;
  verdict: 'ok' | 'failed';
  detail: string;
  /** Every failed condition the agent's body names. */
  conditions: FailedCondition[];
}

/** The JSON object an output carries: after "Output:" when it quotes a body, else the output itself. */
function bodyOf(output: string): string {
  const quoted = /Output:\s*([\s\S]*)$/.exec(output)?.[1] ?? output;
  const start = quoted.indexOf('{');
  const end = quoted.lastIndexOf('}');
  return start >= 0 && end > start ? quoted.slice(start, end + 1) : quoted;
}

/** One result per machine that has the `gpu` check; machines without it are not judged here. */
export function gpuCheckResults(status: FlyAppStatus, checks: FlyChecksByMachine): GpuCheckResult[] {
  return status.machines.flatMap((m) => {
    const check = (checks[m.id] ?? m.checks).find((c) => c.name === GPU_CHECK_NAME);
    if (!check) return [];
    const body = readGpuHealthBody(bodyOf(check.output));
    const conditions = body?.failed ?? [];
    const failing = check.status !== 'passing' || /^fail/i.test(body?.status ?? '');
    const snippet = check.output.replace(/\s+/g, ' ').trim().slice(0, 120);
    const detail = conditions.length
      ? `${conditions.length} failed condition${conditions.length === 1 ? '' : 's'}: ${conditions.map(conditionLine).join('; ')}`
      : body?.status
        ? `${body.status}${body.mode ? ` (${body.mode})` : ''}`
        : snippet || check.status;
    return [{ machine: m.id, region: m.region, status: check.status, verdict: failing ? 'failed' : 'ok', detail, conditions }];
  });
}
