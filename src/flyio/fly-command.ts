/**
 * A command fly.toml holds as one string ([processes] values, [deploy] release_command, console_command), split the
 * way flyctl splits it before deploying: github.com/google/shlex (`shlex.Split`). Words are separated by whitespace;
 * single quotes keep everything; double quotes keep everything but a backslash, which takes the next character as
 * it is (as it does outside quotes); a # at the start of a word comments out the rest of the line. A quote left open
 * or a trailing backslash is an error (shlex's own text), and `flyctl deploy` stops on it. Pure.
 */
export type Split = { ok: true; words: string[] } | { ok: false; error: string };

const ESCAPE_AT_END = 'EOF found after escape character';

export function splitCommand(text: string): Split {
  const words: string[] = [];
  let word: string | null = null;
  let state: 'start' | 'word' | 'single' | 'double' | 'comment' = 'start';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (state === 'comment') {
      if (c === '\n') state = 'start';
    } else if (state === 'single') {
      if (c === "'") state = 'word';
      else word += c;
    } else if (state === 'double') {
      if (c === '\\') {
        if (i + 1 >= text.length) return { ok: false, error: ESCAPE_AT_END };
        word += text[++i]!;
      } else if (c === '"') state = 'word';
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
      state = 'start';
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, error: ESCAPE_AT_END };
      word = (word ?? '') + text[++i]!;
      state = 'word';
    } else if (c === "'" || c === '"') {
      word ??= '';
      state = c === "'" ? 'single' : 'double';
    } else if (c === '#' && state === 'start') state = 'comment';
    else {
      word = (word ?? '') + c;
      state = 'word';
    }
  }
  if (state === 'single' || state === 'double') return { ok: false, error: 'EOF found when expecting closing quote' };
  if (word !== null) words.push(word);
  return { ok: true, words };
}
