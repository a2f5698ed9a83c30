/** Hands each complete line of a chunked stream (\n or \r\n) to `emit`; a partial last line waits for its end. Pure. */
export function lineSplitter(emit: (line: string) => void): (chunk: Buffer | string) => void {
  let rest = '';
  return (chunk) => {
    const lines = (rest + chunk.toString()).split(/\r?\n/);
    rest = lines.pop() ?? '';
    for (const line of lines) emit(line);
  };
}
