/** `gpuctl validate`'s markdown for GITHUB_STEP_SUMMARY: the verdict, then one table row per finding. */
import { markdownCell } from '../ui/markdown.js';
import type { ValidateJson } from './run.js';

const cell = markdownCell;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderValidateMarkdown(result: ValidateJson): string {
  const files = result.files.map((f) => `\`${f.path}\``).join(', ');
  const icon = result.errors ? '❌' : result.warnings ? '⚠️' : '✅';
  const verdict = result.findings.length ? `${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}` : 'no problems found';
  const lines = [`### ${icon} gpuctl validate: ${verdict}`, '', `Checked ${files}.`, ''];
  if (result.findings.length) {
    lines.push('| Where | Severity | Rule | Problem | Fix |', '|---|---|---|---|---|');
    for (const f of result.findings) {
      const where = `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;
      lines.push(`| \`${cell(where)}\` | ${f.severity} | \`${f.id}\` | ${cell(f.message)} | ${cell(f.fix)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
