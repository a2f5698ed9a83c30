/**
 * A file's line-ending style, for render-compare-write: init renders LF, and a project checked out with CRLF
 * (Windows, core.autocrlf) showed every line as a conflict. The comparison is made on LF text, and what init
 * proposes is written back in the file's own style (as fly's dockerfile-node does). Pure.
 */
export type LineEnding = '\n' | '\r\n';

/** CRLF when at least half the file's line breaks are CRLF; LF otherwise (and for a file with none). */
export function lineEndingOf(text: string): LineEnding {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const all = text.match(/\n/g)?.length ?? 0;
  return crlf > 0 && crlf * 2 >= all ? '\r\n' : '\n';
}

export const toLf = (text: string): string => text.replace(/\r\n/g, '\n');

/** LF text in the given style (lone LFs and CRLFs alike end up as `eol`). */
export const withLineEnding = (text: string, eol: LineEnding): string => (eol === '\n' ? text : toLf(text).replace(/\n/g, '\r\n'));
