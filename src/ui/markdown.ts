/**
 * Text in a cell of the markdown tables gpuctl appends to GITHUB_STEP_SUMMARY (ui/step-summary.ts): a `|` is escaped
 * and every line ending (CommonMark's: CRLF, LF or a bare CR) becomes a space, so a tool's or a server's text stays in
 * its cell and its row. The one rule for every command's summary.
 */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r\n|[\r\n]/g, ' ');
}
