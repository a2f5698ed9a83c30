/** scale on a terminal: the confirmation. Declining changes nothing and says so (Ctrl-C there: test/unit/ui/prompt.test.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlyClient } from '../../../src/flyio/client.js';
import { runCount } from '../../../src/scale/run.js';
import type { Prompter } from '../../../src/ui/prompt.js';
import { exited, makeTestCtx } from '../../helpers/ctx.js';
import { FIXTURES } from '../../helpers/cli.js';

const machines = readFileSync(join(FIXTURES, 'flyctl/machine-list.json'), 'utf8');
const answering = (answer: boolean | Error): Prompter => ({
  confirm: async () => {
    if (answer instanceof Error) throw answer;
    return answer;
  },
  input: async () => '',
  select: async () => {
    throw new Error('no select expected');
  },
});
const request = { count: 3, regions: [], group: undefined, maxPerRegion: undefined };

describe('scale count at the confirmation', () => {
  it('declined: no flyctl scale call, applied false, and a line saying nothing was changed', async () => {
    const ctx = makeTestCtx({
      interactive: true,
      prompt: answering(false),
      rules: [
        { match: ['flyctl', 'machine', 'list', '--app=quant-signals', '--json'], result: exited(machines) },
        { match: ['flyctl', 'config', 'show', '--app=quant-signals'], result: exited('{"app": "quant-signals"}\n') },
      ],
    });
    const plans: string[] = [];
    const result = await runCount(
      ctx,
      new FlyClient(ctx, 'flyctl'),
      'quant-signals',
      request,
      { yes: false, dryRun: false },
      {
        plan: (text) => void plans.push(text),
      },
    );
    expect(result.applied).toBe(false);
    expect(ctx.calls.map((c) => c.args[0]).sort()).toEqual(['config', 'machine']);
    expect(plans).toHaveLength(1);
    expect(ctx.err()).toContain('Not confirmed: nothing was changed.');
  });
});
