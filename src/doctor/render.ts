import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import type { CheckRow, CheckStatus } from './decide.js';

const MARK: Record<CheckStatus, (s: Style) => string> = {
  pass: (s) => s.green('✓ pass'),
  warn: (s) => s.yellow('! warn'),
  fail: (s) => s.red('✗ fail'),
  skip: (s) => s.dim('- skip'),
};

export function renderDoctor(rows: readonly CheckRow[], style: Style): string {
  const table = renderTable(
    ['Check', 'Status', 'Detail'],
    rows.map((r) => [r.name, MARK[r.status](style), r.detail]),
  );
  const remedies = rows.filter((r) => r.remedy && r.status !== 'pass' && r.status !== 'skip').map((r) => `  ${r.name}: ${r.remedy}`);
  const failed = rows.filter((r) => r.status === 'fail').length;
  const summary = failed ? style.red(`${failed} check${failed === 1 ? '' : 's'} failed.`) : style.green('Ready.');
  return `${table}${remedies.length ? `\nTo fix:\n${remedies.join('\n')}\n` : ''}\n${summary}\n`;
}
