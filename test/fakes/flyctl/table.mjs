/**
 * flyctl's render.Table / render.VerticalTable on olekukonko/tablewriter v1.1.4 (flyctl bumped it
 * in 0fdd4ea, 2026-04): no outer borders, no header line, StyleLight column separator "│", one
 * space of padding each side of a cell, headers upper-cased (AutoFormat), left-aligned, and a
 * blank line after the table. Titles are printed above (plain here: no colour off a TTY).
 */

const width = (text) => [...text].length;

function formatHeader(header) {
  return header.replace(/[_.]/g, ' ').toUpperCase();
}

function lines(rows) {
  const columns = Math.max(...rows.map((row) => row.length));
  const full = rows.map((row) => Array.from({ length: columns }, (_, i) => row[i] ?? ''));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...full.map((row) => width(row[i]))));
  return full.map((row) => row.map((cell, i) => ` ${cell}${' '.repeat(widths[i] - width(cell))} `).join('│'));
}

/** render.Table(w, title, rows, cols...); `headerLine` for helpers.MakeSimpleTable's "───┼───" rule. */
export function table(title, rows, headers = [], { headerLine = false, blankAfter = true } = {}) {
  const all = headers.length > 0 ? [headers.map(formatHeader), ...rows] : rows;
  const rendered = all.length > 0 ? lines(all.map((r) => r.map(String))) : [];
  if (headerLine && headers.length > 0) {
    rendered.splice(
      1,
      0,
      rendered[0]
        .split('│')
        .map((cell) => '─'.repeat(width(cell)))
        .join('┼'),
    );
  }
  const body = rendered.length > 0 ? `${rendered.join('\n')}\n` : '';
  return `${title ? `${title}\n` : ''}${body}${blankAfter ? '\n' : ''}`;
}

/** render.VerticalTable(w, title, [fields], cols...): one "name │ value" row per column. */
export function verticalTable(title, fields, headers) {
  const rows = headers.map((h, i) => [h, String(fields[i] ?? '')]);
  return `${title ? `${title}\n` : ''}${lines(rows).join('\n')}\n\n`;
}

/** format.RelativeTime for the fake's clock: "2m ago", "3h ago", "Nov 22 2026 12:00". */
export function relativeTime(iso, nowMs) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((nowMs - then) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m ago`;
  return new Date(then).toISOString().slice(0, 16).replace('T', ' ');
}
