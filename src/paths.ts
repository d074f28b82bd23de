import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** Where the code runs from: the package root under tsx/jest, `<root>/dist` in the compiled build. */
export const CODE_ROOT = resolve(__dirname, '..');

/** The package root: package.json, serverless.yml, statemachines/, samples/, governance.yml. */
export const PACKAGE_ROOT = basename(CODE_ROOT) === 'dist' ? dirname(CODE_ROOT) : CODE_ROOT;

/** DuckDB's spill folder (an in-memory database would spill into `./.tmp` of the working folder). */
export const DUCKDB_SPILL_DIRECTORY = join(tmpdir(), 'autogov-duckdb');
