import type { ReportData, ReportTable } from '../app/report';
import type { HistoryEntry } from '../policy/history';

/** Text into HTML: every value shown comes from files and config, never trusted as markup. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const e = escapeHtml;
const percent = (score: number | null) =>
  score === null ? 'n/a' : `${Math.round(score * 1000) / 10}\u00a0%`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: #555; margin-bottom: 16px; }
table { border-collapse: collapse; margin: 4px 0 12px; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.allowed { background: #c8e6c9; color: #1b5e20; }
td.denied { background: #ffcdd2; color: #b71c1c; }
.tag { display: inline-block; border-radius: 3px; padding: 0 6px; margin-right: 4px; background: #e8eaf6; }
.tag.sensitive { background: #ffe0b2; }
.tables { display: flex; flex-wrap: wrap; gap: 32px; }
svg text { font: 11px system-ui, sans-serif; fill: #555; }
.empty { color: #777; font-style: italic; }
`;

function tagBadges(tags: Record<string, string>, sensitive: string): string {
  return Object.entries(tags)
    .map(
      ([k, v]) =>
        `<span class="tag${v.toLowerCase() === sensitive.toLowerCase() ? ' sensitive' : ''}">${e(k)}=${e(v)}</span>`,
    )
    .join(' ');
}

function tablesSection(data: ReportData, sensitive: string): string {
  if (data.tables.length === 0) return '<p class="empty">No governed tables yet.</p>';
  const rows = data.tables.map(
    (t) =>
      `<tr><td>${e(`${t.database}.${t.table}`)}</td><td>${tagBadges(t.tags, sensitive)}</td><td>${percent(t.score)}</td><td>${e(t.sensitiveColumns.join(', ') || '—')}</td><td>${e(t.lastRunId ?? '—')}</td></tr>`,
  );
  return `<table id="tables"><thead><tr><th>table</th><th>LF-Tags</th><th>score</th><th>sensitive columns</th><th>latest run</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const cell = (allowed: boolean, what: string) =>
  `<td class="${allowed ? 'allowed' : 'denied'}" title="${e(what)}">${allowed ? '✓ visible' : '✗ hidden'}</td>`;

/** Persona × column: green where the persona's LF-Tag grants let it query the column, red where not. */
function accessMatrix(t: ReportTable, personas: string[], sensitive: string): string {
  const name = `${t.database}.${t.table}`;
  const head = `<tr><th>column</th><th>LF-Tags</th>${personas.map((p) => `<th>${e(p)}</th>`).join('')}</tr>`;
  const tableRow = `<tr><th>(table)</th><td>${tagBadges(t.tags, sensitive)}</td>${personas
    .map((p) =>
      cell(
        (t.access[p] ?? []).length > 0,
        `${p} ${(t.access[p] ?? []).length ? 'can' : 'cannot'} query ${name}`,
      ),
    )
    .join('')}</tr>`;
  const rows = t.columnNames.map(
    (c) =>
      `<tr><td>${e(c)}</td><td>${tagBadges(t.columnTags[c] ?? {}, sensitive)}</td>${personas
        .map((p) => {
          const allowed = (t.access[p] ?? []).includes(c);
          return cell(allowed, `${p} ${allowed ? 'sees' : 'does not see'} ${name}.${c}`);
        })
        .join('')}</tr>`,
  );
  return `<h3>${e(name)}</h3><table class="matrix" data-table="${e(name)}"><thead>${head}</thead><tbody>${tableRow}${rows.join('')}</tbody></table>`;
}

/** Score per run as a line over the quality bands' lower bounds; inline SVG, nothing fetched. */
export function scoreChart(name: string, history: HistoryEntry[], bounds: number[]): string {
  const runs = history.filter((h) => h.score !== null);
  if (runs.length === 0) return `<p class="empty">${e(name)}: no scored runs.</p>`;
  const w = 420;
  const h = 220;
  const left = 44;
  const top = 10;
  const plotW = w - left - 16;
  const plotH = h - top - 28;
  const x = (i: number) => left + (runs.length === 1 ? plotW / 2 : (i * plotW) / (runs.length - 1));
  const y = (score: number) => top + plotH - score * plotH;
  const grid = [...new Set([0, ...bounds, 1])]
    .map(
      (b) =>
        `<line x1="${left}" x2="${left + plotW}" y1="${y(b)}" y2="${y(b)}" stroke="#ddd"/><text x="${left - 6}" y="${y(b) + 4}" text-anchor="end">${Math.round(b * 100)}%</text>`,
    )
    .join('');
  const points = runs.map((r, i) => `${x(i)},${y(r.score!)}`).join(' ');
  const dots = runs
    .map(
      (r, i) =>
        `<circle cx="${x(i)}" cy="${y(r.score!)}" r="4" fill="#1565c0"><title>${e(`${r.evaluatedAt}: ${percent(r.score)} → ${r.dqTag}`)}</title></circle>`,
    )
    .join('');
  return `<figure><figcaption>${e(name)}</figcaption><svg class="score-history" data-table="${e(name)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${e(`score history of ${name}: ${runs.map((r) => percent(r.score)).join(', ')}`)}">${grid}<polyline points="${points}" fill="none" stroke="#1565c0" stroke-width="2"/>${dots}<text x="${left}" y="${h - 8}">run 1</text><text x="${left + plotW}" y="${h - 8}" text-anchor="end">run ${runs.length}</text></svg></figure>`;
}

function listSection<T>(
  id: string,
  items: T[],
  head: string[],
  row: (item: T) => string[],
  none: string,
): string {
  if (items.length === 0) return `<p id="${id}" class="empty">${none}</p>`;
  return `<table id="${id}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${items
    .map(
      (i) =>
        `<tr>${row(i)
          .map((c) => `<td>${e(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

/** The steward's page: one self-contained HTML document (inline CSS and SVG, no script, no CDN). */
export function renderReport(data: ReportData, opts: { sensitive: string; bandBounds: number[] }): string {
  const { sensitive, bandBounds } = opts;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>autogov report</title><style>${STYLE}</style></head>
<body>
<h1>autogov governance report</h1>
<div class="meta">lake ${e(data.lake)} · generated ${e(data.generatedAt)} · ${data.tables.length} governed tables · personas ${e(data.personas.join(', '))}</div>
<h2>Tables</h2>
${tablesSection(data, sensitive)}
<h2>Who sees what</h2>
<p>Per persona, the columns its LF-Tag grants let it query (green) and those hidden from it (red).</p>
${data.tables.map((t) => accessMatrix(t, data.personas, sensitive)).join('\n')}
<h2>Score history</h2>
<div class="tables">${data.tables.map((t) => scoreChart(`${t.database}.${t.table}`, t.history, bandBounds)).join('')}</div>
<h2>Recent failures</h2>
${listSection('failures', data.failures, ['failed at', 'table', 'error', 'message'], (f) => [f.failedAt, f.database && f.table ? `${f.database}.${f.table}` : '—', f.error, f.message], 'No failed governance runs.')}
<h2>Declassifications</h2>
${listSection('declassifications', data.declassifications, ['at', 'column', 'by', 'reason'], (d) => [d.at, `${d.database}.${d.table}.${d.column}`, d.by ?? '—', d.reason], 'No declassified columns.')}
<p class="meta">LF-Tags as assigned by autogov; access as Lake Formation's tag-based grants evaluate them (governance.yml personas).</p>
</body></html>
`;
}
