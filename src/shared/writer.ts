/** An output stream as gpuctl writes to it: stdout, stderr, or a test's buffer. */
export interface Writer {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Terminal width; a TTY that reports 0 (some pseudo-terminals) cannot host a spinner. */
  readonly columns?: number;
}
