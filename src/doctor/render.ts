import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';
import { statusMark } from '../ui/status-mark.js';
import type { CheckRow } from './decide.js';

export function renderDoctor(rows: readonly CheckRow[], style: Style): string {
  const table = renderTable(
    ['Check', 'Status', 'Detail'],
    rows.map((r) => [r.name, statusMark(r.status, style, true), r.detail]),
  );
  const remedies = rows.filter((r) => r.remedy && r.status !== 'pass' && r.status !== 'skip').map((r) => `  ${r.name}: ${r.remedy}`);
  const failed = rows.filter((r) => r.status === 'fail').length;
  const summary = failed ? style.red(`${failed} check${failed === 1 ? '' : 's'} failed.`) : style.green('Ready.');
  return `${table}${remedies.length ? `\nTo fix:\n${remedies.join('\n')}\n` : ''}\n${summary}\n`;
}
