/** The closing summary: its one-line format, and a line of its own for each test skipped with a reason. */
import { describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import SummaryReporter from '../summary-reporter.js';

type Result = { state: 'passed' | 'failed' | 'pending' } | { state: 'skipped'; note: string | undefined };
const moduleOf = (tests: Array<{ fullName: string; result: Result }>) =>
  ({ children: { allTests: () => tests.map((t) => ({ fullName: t.fullName, result: () => t.result })) } }) as unknown as TestModule;

function summary(modules: TestModule[]): string {
  let out = '';
  new SummaryReporter((text: string) => void (out += text)).onTestRunEnd(modules);
  return out;
}

describe('summary reporter', () => {
  it('closes with "Tests: N passed, N failed, N skipped"', () => {
    const text = summary([
      moduleOf([
        { fullName: 'a', result: { state: 'passed' } },
        { fullName: 'b', result: { state: 'failed' } },
        { fullName: 'c', result: { state: 'skipped', note: undefined } },
      ]),
    ]);
    expect(text).toBe('\nTests: 1 passed, 1 failed, 1 skipped\n');
  });

  it('says, in a line of its own, which test was skipped and why', () => {
    const text = summary([
      moduleOf([
        {
          fullName: '[slow] real nvcc > compiles native/',
          result: { state: 'skipped', note: 'nvcc is not on PATH, so the real native/ was not compiled' },
        },
      ]),
      moduleOf([{ fullName: 'x', result: { state: 'passed' } }]),
    ]);
    expect(text.split('\n')).toEqual([
      '',
      'Skipped: [slow] real nvcc > compiles native/: nvcc is not on PATH, so the real native/ was not compiled',
      'Tests: 1 passed, 0 failed, 1 skipped',
      '',
    ]);
  });
});
