/** `gpuctl validate` for people: one block per finding (where, what, how to fix), then a summary. */
import type { Style } from '../ui/style.js';
import { TOML_BROKEN, type ValidateJson } from './run.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderValidate(result: ValidateJson, style: Style): string {
  const blocks = result.findings.map((f) => {
    const where = `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;
    const severity = f.severity === 'error' ? style.red('error') : style.yellow('warning');
    return `${style.bold(where)}  ${severity}  ${style.dim(f.id)}\n  ${f.message}\n  ${style.cyan('fix:')} ${f.fix}\n`;
  });
  const files = result.files.map((f) => f.path).join(', ');
  const summary =
    result.findings.length === 0
      ? `${style.green('✓')} ${files}: no problems found.`
      : `${result.errors ? style.red('✗') : style.yellow('!')} ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')} in ${files}.`;
  const skipped = result.notChecked
    .map(
      (f) =>
        `${style.dim('-')} ${f.path} not checked: ${f.reason}${f.reason === TOML_BROKEN ? '; fix it and run gpuctl validate again' : ''}.\n`,
    )
    .join('');
  return `${blocks.join('\n')}${blocks.length ? '\n' : ''}${summary}\n${skipped}`;
}
