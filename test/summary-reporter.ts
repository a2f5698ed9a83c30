/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", that any CI log reader
 * understands (vitest's own summary is decorated). Runs after the default reporter. Above it, a test
 * skipped with a reason (`ctx.skip(note)`, e.g. the slow tests that need a real nvcc) gets a line of
 * its own, so that what did not run is never silent. A file that failed to run (an import error, a
 * failing hook) and an unhandled error each count as one failed, with a "Failed:" line saying which, so
 * the closing line never says 0 failed when vitest's run failed.
 */
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

type Write = (text: string) => void;

const firstLine = (error: SerializedError | undefined): string => (error?.message ?? 'failed').split('\n')[0] ?? 'failed';

export default class SummaryReporter implements Reporter {
  private readonly write: Write;

  /** vitest constructs reporters with its own options object; tests pass a writer. */
  constructor(write?: unknown) {
    this.write = typeof write === 'function' ? (write as Write) : (text) => void process.stdout.write(text);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = [], reason?: TestRunEndReason): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const reasons: string[] = [];
    const failures: string[] = [];
    for (const module of modules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed += 1;
        else if (result.state === 'failed') failedTests += 1;
        else {
          counts.skipped += 1;
          if (result.state === 'skipped' && result.note) reasons.push(`Skipped: ${test.fullName}: ${result.note}\n`);
        }
      }
      counts.failed += failedTests;
      if (module.state() === 'failed' && failedTests === 0) {
        counts.failed += 1;
        failures.push(`Failed: ${module.relativeModuleId} did not run: ${firstLine(module.errors()[0])}\n`);
      }
    }
    for (const error of unhandledErrors) {
      counts.failed += 1;
      failures.push(`Failed: unhandled error: ${firstLine(error)}\n`);
    }
    if (reason === 'failed' && counts.failed === 0) {
      counts.failed = 1;
      failures.push('Failed: vitest reported the run as failed\n');
    }
    const closing = `Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`;
    this.write(`\n${reasons.join('')}${failures.join('')}${closing}`);
  }
}
