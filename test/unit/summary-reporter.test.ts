/** The closing summary: its one-line format, and a line of its own for each test skipped with a reason. */
import { describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import SummaryReporter from '../summary-reporter.js';

type Result = { state: 'passed' | 'failed' | 'pending' } | { state: 'skipped'; note: string | undefined };
const moduleOf = (tests: Array<{ fullName: string; result: Result }>, run: { failed?: boolean; error?: string } = {}) =>
  ({
    relativeModuleId: 'test/unit/x.test.ts',
    state: () => (run.failed || tests.some((t) => t.result.state === 'failed') ? 'failed' : 'passed'),
    errors: () => (run.error === undefined ? [] : [{ message: run.error }]),
    children: { allTests: () => tests.map((t) => ({ fullName: t.fullName, result: () => t.result })) },
  }) as unknown as TestModule;

function summary(modules: TestModule[], unhandled: Array<{ message: string }> = [], reason?: 'passed' | 'failed' | 'interrupted'): string {
  let out = '';
  new SummaryReporter((text: string) => void (out += text)).onTestRunEnd(modules, unhandled, reason);
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

  it('counts a file that failed to run as failed, and says which file and why', () => {
    const text = summary(
      [
        moduleOf([{ fullName: 'a', result: { state: 'passed' } }]),
        moduleOf([], { failed: true, error: "Cannot find module '../src/gone.js'\n    at import" }),
      ],
      [],
      'failed',
    );
    expect(text.split('\n')).toEqual([
      '',
      "Failed: test/unit/x.test.ts did not run: Cannot find module '../src/gone.js'",
      'Tests: 1 passed, 1 failed, 0 skipped',
      '',
    ]);
  });

  it('counts an unhandled error as failed', () => {
    const text = summary([moduleOf([{ fullName: 'a', result: { state: 'passed' } }])], [{ message: 'EPIPE\nstack' }], 'failed');
    expect(text).toBe('\nFailed: unhandled error: EPIPE\nTests: 1 passed, 1 failed, 0 skipped\n');
  });

  it('never says 0 failed when vitest ended the run as failed', () => {
    const text = summary([moduleOf([{ fullName: 'a', result: { state: 'passed' } }])], [], 'failed');
    expect(text.trim().split('\n').at(-1)).toBe('Tests: 1 passed, 1 failed, 0 skipped');
  });
});
