import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { type Document, isMap, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors';
import { readTextFile } from '../user-file';
import { type Governance, governanceSchema } from './schema';

export interface LoadedGovernance {
  config: Governance;
  /** absolute path of governance.yml; rulesets resolve relative to its folder */
  path: string;
}

/** Loads and validates governance.yml; any problem is one UserError naming file:line and the fix. */
export function loadGovernance(path: string): LoadedGovernance {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UserError(`${path}: not found; create it (see governance.yml in the repo)`);
  const text = readTextFile(abs, 'governance file');
  return { config: parseGovernance(text, path), path: abs };
}

/**
 * Parsed governance by file text and label: one command reads governance.yml several times (each Lambda
 * handler of a local run loads it), and parsing and validating it is most of that cost. Frozen, so a
 * caller cannot change what the next one gets.
 */
const parsedGovernance = new Map<string, Governance>();
const PARSED_KEPT = 16;

export function parseGovernance(text: string, label = 'governance.yml'): Governance {
  const key = `${label}\0${text}`;
  const cached = parsedGovernance.get(key);
  if (cached) return cached;
  const parsed = deepFreeze(parseGovernanceText(text, label));
  if (parsedGovernance.size >= PARSED_KEPT) parsedGovernance.delete(parsedGovernance.keys().next().value!);
  parsedGovernance.set(key, parsed);
  return parsed;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function parseGovernanceText(text: string, label: string): Governance {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    throw new UserError(`${label}:${pos.line}:${pos.col}: invalid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const parsed = governanceSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  // A misspelt key also shows up as a missing one: name the misspelling, it is the fix.
  const issues = parsed.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  throw new UserError(describeIssue(issue, doc, lineCounter, label));
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lc: LineCounter, label: string): string {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path, ...keys.slice(0, 1)];
  const where = path.length ? path.join('.') : '(top level)';
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  // Unknown keys have no value node to point at; point at the key itself via its parent map.
  const parent = keys.length ? doc.getIn(issue.path, true) : undefined;
  const keyNode = isMap(parent)
    ? (parent.items.find((p) => String((p.key as { value?: unknown })?.value) === keys[0])?.key as {
        range?: [number, number, number];
      })
    : undefined;
  const offset = keyNode?.range?.[0] ?? node?.range?.[0];
  const at = offset === undefined ? label : `${label}:${lc.linePos(offset).line}`;
  if (keys.length)
    return `${at}: unknown key '${where}'; check its spelling against governance.yml's documented keys`;
  return `${at}: ${where}: ${issue.message}`;
}

export interface TableRef {
  database: string;
  table: string;
}

export interface TableGovernance {
  /** ruleset file, absolute */
  rulesetPath: string;
  rulesetText: string;
  /** DQDL alias → referenced table */
  references: Record<string, TableRef>;
}

/**
 * The rules that govern DB.TABLE: its own entry, else its database's, else the defaults — so a new
 * table is governed without anyone editing config.
 */
export function resolveTableGovernance(
  gov: LoadedGovernance,
  database: string,
  table: string,
): TableGovernance {
  const db = gov.config.databases[database];
  const own = db?.tables?.[table];
  const where = own?.ruleset
    ? `databases.${database}.tables.${table}`
    : db?.ruleset
      ? `databases.${database}`
      : 'defaults';
  const ruleset = own?.ruleset ?? db?.ruleset ?? gov.config.defaults.ruleset;
  const references =
    own?.references ?? (own?.ruleset ? {} : (db?.references ?? gov.config.defaults.references ?? {}));
  const rulesetPath = resolve(dirname(gov.path), ruleset);
  if (!existsSync(rulesetPath))
    throw new UserError(
      `${relative(process.cwd(), gov.path) || gov.path}: ${where}.ruleset: ${ruleset} does not exist; create it or fix the path`,
    );
  const refs: Record<string, TableRef> = {};
  for (const [alias, name] of Object.entries(references)) {
    const [a, b] = name.split('.');
    refs[alias] = b ? { database: a!, table: b } : { database, table: a! };
  }
  return { rulesetPath, rulesetText: readTextFile(rulesetPath, 'ruleset file'), references: refs };
}
