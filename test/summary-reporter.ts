/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", that any CI log reader
 * understands (vitest's own summary is decorated). Runs after the default reporter. Above it, a test
 * skipped with a reason (`ctx.skip(note)`, e.g. the slow tests that need a real nvcc) gets a line of
 * its own, so that what did not run is never silent.
 */
import type { Reporter, TestModule } from 'vitest/node';

type Write = (text: string) => void;

export default class SummaryReporter implements Reporter {
  private readonly write: Write;

  /** vitest constructs reporters with its own options object; tests pass a writer. */
  constructor(write?: unknown) {
    this.write = typeof write === 'function' ? (write as Write) : (text) => void process.stdout.write(text);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const reasons: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed += 1;
        else if (result.state === 'failed') counts.failed += 1;
        else {
          counts.skipped += 1;
          if (result.state === 'skipped' && result.note) reasons.push(`Skipped: ${test.fullName}: ${result.note}\n`);
        }
      }
    }
    this.write(`\n${reasons.join('')}Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
