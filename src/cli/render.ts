import Table from 'cli-table3';
import type { Quality } from '../app/demo';
import type { Access } from '../policy/access';
import type { TableTags } from '../policy/tags';

/** Columns × tag keys, the table's own tags on the first row. */
export function renderTags(name: string, tags: TableTags): string {
  const keys = [
    ...new Set([...Object.keys(tags.table), ...Object.values(tags.columns).flatMap((t) => Object.keys(t))]),
  ];
  const table = new Table({ head: ['', ...keys], style: { head: [], border: [] } });
  table.push([`${name} (table)`, ...keys.map((k) => tags.table[k] ?? '')]);
  for (const [column, set] of Object.entries(tags.columns))
    table.push([column, ...keys.map((k) => set[k] ?? '')]);
  return table.toString();
}

/** One line saying where dq_tag comes from: rules passed, score, and each failed rule. */
export function renderQuality(q: Quality): string {
  const score = q.score === null ? 'no rules' : `${Math.round(q.score * 1000) / 10} %`;
  const head = `Data quality: ${q.passed}/${q.total} rules passed (${score}) → ${q.tag ?? 'no quality tag'}`;
  const failed = q.failed.map((f) => `\n  failed: ${f.rule}${f.message ? ` — ${f.message}` : ''}`);
  return head + failed.join('');
}

export function renderAccess(access: Record<string, Access>, allColumns: string[]): string {
  const table = new Table({ head: ['persona', 'can query', 'columns'], style: { head: [], border: [] } });
  for (const [persona, a] of Object.entries(access)) {
    const hidden = allColumns.filter((c) => !a.columns.includes(c));
    const columns = !a.allowed ? '—' : hidden.length ? `all but ${hidden.join(', ')}` : 'all';
    table.push([persona, a.allowed ? 'yes' : 'no', columns]);
  }
  return table.toString();
}

export function renderRows(columns: string[], rows: Record<string, unknown>[]): string {
  const table = new Table({ head: columns, style: { head: [], border: [] } });
  for (const r of rows)
    table.push(columns.map((c) => (r[c] === null || r[c] === undefined ? 'NULL' : String(r[c]))));
  return table.toString();
}
