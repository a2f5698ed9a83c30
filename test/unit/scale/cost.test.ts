/** Prices are rounded one way everywhere (issue 13): the plan's totals and the `scale show` rows alike. */
import { expect, test } from 'vitest';
import { formatUsd, usd } from '../../../src/scale/cost.js';
import { renderShow, showGroups } from '../../../src/scale/render.js';

test.each([
  [0.0027, '$0.0027'],
  [0.5, '$0.5000'],
  [1, '$1.00'],
  [1.23456, '$1.23'],
  [44.1, '$44.10'],
])('usd(%s) is %s', (amount, text) => {
  expect(usd(amount)).toBe(text);
});

test('the plan line and the 30-day figure use the same rounding', () => {
  expect(formatUsd(0.0433)).toBe('$0.0433/h (~$31.18/30 days)');
  expect(formatUsd(2.5)).toBe('$2.50/h (~$1800.00/30 days)');
  expect(formatUsd(null)).toBe('unknown');
});

test('scale show rows round as the totals do (four machines of performance-8x cost over $1 an hour)', () => {
  const out = renderShow(
    'quant-signals',
    showGroups([{ group: 'app', count: 4, cpuKind: 'performance', cpus: 8, memoryMb: 16384, regions: { ord: 4 } }], []),
  );
  const row = out.split('\n').find((l) => l.startsWith('app'));
  expect(row).toMatch(/\$1\.38$/);
  expect(out).toMatch(/Total \$\d+\.\d{2}\/h/);
});
