/** `gpuctl status`'s text view of an app without machines: what brings machines back depends on whether it was deployed. */
import { expect, it } from 'vitest';
import { renderStatus, type StatusJson } from '../../../src/status/view.js';
import { createStyle } from '../../../src/ui/style.js';

const view = (over: Partial<StatusJson>): StatusJson => ({
  schemaVersion: 1,
  app: 'quant-signals',
  hostname: 'quant-signals.fly.dev',
  url: 'https://quant-signals.fly.dev',
  release: 0,
  status: '',
  deployed: false,
  machines: [],
  ...over,
});

it('scaled to zero after a deploy: scale count brings a machine back (it said to deploy again)', () => {
  expect(renderStatus(view({ release: 2, status: 'deployed', deployed: true }), createStyle(false))).toBe(
    'quant-signals  https://quant-signals.fly.dev  release v2  deployed\n\nNo machines. `gpuctl scale count 1` creates one from release v2.\n',
  );
});

it('never deployed: deploy it', () => {
  expect(renderStatus(view({}), createStyle(false))).toBe(
    'quant-signals  https://quant-signals.fly.dev  release v0  not deployed\n\nNo machines. Deploy with `gpuctl deploy`.\n',
  );
});
