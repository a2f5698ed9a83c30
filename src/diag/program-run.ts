/** What diag keeps of one benchmark-program run (probe.ts runs it; decide.ts and load.ts judge it). */
export interface ProgramRun {
  args: string[];
  lines: Array<Record<string, unknown>>;
  exitCode: number | null;
  /** How it ended when it did not exit, in words: "killed by SIGSEGV", "did not finish within 120 s". */
  outcome: string;
  stderrTail: string;
}
