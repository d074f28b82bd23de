import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors';
import { PACKAGE_ROOT } from '../paths';
import { commonOptions, printJson } from './common';
import type { CliRun } from './io';

/** What `init` scaffolds: the package's own governance.yml and the rulesets it names. */
const SCAFFOLD = ['governance.yml', 'dqdl'];

export function registerInitCommand(program: Command, cli: CliRun): void {
  program
    .command('init')
    .description("scaffold governance.yml and dqdl/ (the seed's policy and rulesets) in a folder, to edit")
    .argument('[dir]', 'the folder (default: the current one)', '.')
    .action((dir: string, _o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const at = resolve(cli.cwd, dir);
      const present = SCAFFOLD.filter((f) => existsSync(join(at, f)));
      if (present.length)
        throw new UserError(
          `${at}: ${present.join(' and ')} already there; init writes only into a folder without them (nothing was changed)`,
        );
      for (const f of SCAFFOLD) cpSync(join(PACKAGE_ROOT, f), join(at, f), { recursive: true });
      const written = ['governance.yml', ...readdirSync(join(at, 'dqdl')).map((f) => `dqdl/${f}`)];
      if (opts.json) printJson(opts.io, { dir: at, written });
      else
        opts.io.out(
          `wrote ${written.join(', ')} in ${at}; edit them, then \`autogov ingest FILE --table DB.TABLE\` uses them from this folder`,
        );
    });
}
