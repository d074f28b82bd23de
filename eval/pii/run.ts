// npm run eval:pii [-- --json] — precision, recall and F1 per entity type of the column
// classifier and the text detector on the labelled corpora, and every false positive.
import path from 'node:path';
import Table from 'cli-table3';
import { Command } from 'commander';
import { loadCorpus } from './corpus';
import { type Evaluation, evaluate } from './evaluate';
import { floorsOf } from './floors';
import { corpusDirs } from './locations';
import type { Prf, Report } from './score';

const pct = (x: number) => x.toFixed(3);

function prfTable(title: string, report: Report): string {
  const table = new Table({
    head: [title, 'P', 'R', 'F1', 'tp', 'fp', 'fn'],
    style: { head: [], border: [] },
  });
  const row = (name: string, p: Prf) => [name, pct(p.precision), pct(p.recall), pct(p.f1), p.tp, p.fp, p.fn];
  for (const [type, p] of Object.entries(report.perType)) table.push(row(type, p));
  table.push(row('ALL (micro)', report.overall));
  return table.toString();
}

function print(e: Evaluation): void {
  console.log(`\n== ${e.corpus}: ${e.columns} columns, ${e.texts} texts ==`);
  console.log(prfTable('column level', e.column));
  const h = e.column.hardNegatives;
  console.log(`hard-negative columns flagged: ${h.flagged}/${h.total} (${(h.fraction * 100).toFixed(1)} %)`);
  console.log(prfTable('text, exact span', e.text));
  for (const [level, r] of [
    ['column', e.column],
    ['text', e.text],
  ] as const) {
    for (const m of r.falsePositives) console.log(`  FP ${level} ${m.type} ${m.id}: ${m.detail}`);
    for (const m of r.falseNegatives) console.log(`  FN ${level} ${m.type} ${m.id}: ${m.detail}`);
  }
}

const program = new Command('eval:pii')
  .option('--json', 'print the figures as JSON')
  .option('--floors', 'print the floor figures (eval/pii/floors.json) the floor test holds them to')
  .option('--corpus <dir...>', 'corpus folders (default: eval/pii/corpus and ../shared/pii-corpus)')
  .action((opts: { json?: boolean; floors?: boolean; corpus?: string[] }) => {
    const dirs = opts.corpus?.map((d) => ({ name: path.basename(d), dir: d })) ?? corpusDirs();
    const results = dirs.map(({ name, dir }) => evaluate(loadCorpus(name, dir)));
    if (opts.floors)
      console.log(JSON.stringify(Object.fromEntries(results.map((r) => [r.corpus, floorsOf(r)])), null, 2));
    else if (opts.json) console.log(JSON.stringify(results, null, 2));
    else results.forEach(print);
  });

try {
  program.parse();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
