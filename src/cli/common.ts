import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { glueName } from '../data/names';
import { UserError } from '../errors';
import { PACKAGE_ROOT } from '../paths';
import type { CliRun } from './io';

export interface CommonOptions {
  lake: string;
  json: boolean;
  governance: string;
  /** neither --governance nor ./governance.yml: the package's own is used (and the CLI says so) */
  bundledGovernance: boolean;
  debug: boolean;
  /** --stage: the deployed stage to read instead of the local lake (src/cli/stage.ts) */
  stage?: { stage: string; region?: string; profile?: string };
  /** Where the command writes (src/cli/io.ts). */
  io: CliRun;
}

/** The repo's own governance.yml, used when the working folder has none. */
const BUNDLED_GOVERNANCE = join(PACKAGE_ROOT, 'governance.yml');

export function commonOptions(cmd: Command, io: CliRun): CommonOptions {
  const o = cmd.optsWithGlobals<{
    lake?: string;
    json?: boolean;
    governance?: string;
    debug?: boolean;
    stage?: string;
    region?: string;
    profile?: string;
  }>();
  const local = join(io.cwd, 'governance.yml');
  const bundledGovernance = o.governance === undefined && !existsSync(local);
  return {
    lake: resolve(io.cwd, o.lake ?? io.env.AUTOGOV_LAKE ?? '.autogov'),
    json: Boolean(o.json),
    governance: bundledGovernance ? BUNDLED_GOVERNANCE : resolve(io.cwd, o.governance ?? local),
    bundledGovernance,
    debug: Boolean(o.debug),
    stage: o.stage === undefined ? undefined : { stage: o.stage, region: o.region, profile: o.profile },
    io,
  };
}

/** The silent fallback is the surprising one: say which governance.yml a lake command uses. */
export function noteGovernance(opts: CommonOptions): void {
  if (opts.bundledGovernance)
    opts.io.err(
      `autogov: no ./governance.yml here, using the package's own (${opts.governance}); \`autogov init\` scaffolds one to edit, or pass --governance FILE`,
    );
}

/** Configured entity types no local detector checks: every column is then sensitive (fail closed). */
export function notCheckedLine(types: readonly string[]): string {
  return `not checked locally: ${types.join(', ')} — no local detector, so every column is treated as sensitive (fail closed); Glue's classify_columns checks them in the cloud`;
}

export function printJson(io: CliRun, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** `DB.TABLE` → parts, with the fix in the message when malformed. */
export function parseTableName(arg: string): { database: string; table: string } {
  const m = /^([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(arg);
  if (!m)
    throw new UserError(
      `${arg}: expected DATABASE.TABLE (letters, digits, _), e.g. oktank_autogov_temp.customer`,
    );
  return { database: glueName('database', m[1]!), table: glueName('table', m[2]!) };
}
