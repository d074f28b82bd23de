import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { commonOptions, printJson } from './common';
import type { CliRun } from './io';
import { readLake } from './read-lake';

export function registerReportCommand(program: Command, cli: CliRun): void {
  program
    .command('report')
    .description(
      'write a static HTML page of the lake: tables with tags and score, the persona × column access matrix, score history, recent failures and declassifications',
    )
    .requiredOption('--out <dir>', 'folder to write index.html into (created when missing)')
    .action(async (o: { out: string }, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const { reportData } = require('../app/report') as typeof import('../app/report');
      const { renderReport } = require('../report/html') as typeof import('../report/html');
      const html = await readLake(opts, async (lake) => {
        const { sensitive } = lake.governance.config.tags;
        const bandBounds = lake.governance.config.scoreBands.map((b) => b.min / 100);
        return renderReport(await reportData(lake, opts.lake), { sensitive, bandBounds });
      });
      const out = resolve(cli.cwd, o.out);
      mkdirSync(out, { recursive: true });
      const file = join(out, 'index.html');
      writeFileSync(file, html);
      if (opts.json) printJson(opts.io, { report: file });
      else opts.io.out(`report: ${file}`);
    });
}
