/** The URL a child process announces with "listening on http://…" on stdout (the agent, the application fake). */
import type { ResultPromise } from 'execa';

export function listeningUrl(child: ResultPromise, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    void child.then((r) => reject(new Error(`${what} exited (${r.exitCode}) before listening: ${String(r.stderr)}`)));
  });
}
