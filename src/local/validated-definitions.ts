// The ASL validator that aws-local-stepfunctions runs (asl-validator) compiles its JSON schemas with
// ajv on every call: ~0.5 s idle, a tenth of a small ingest. The build validates the state machines
// the local stack loads (`validateLocalDefinitions` in services.ts) and records one key per definition;
// the runner skips the validator only for a definition whose key is recorded. Any other text (an
// edited statemachines/*.asl.yaml before the next build, a test's machine) is validated as before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFile, contentKey, readBuildRecord, writeBuildRecord } from '../build-record';
import { lazy } from '../lazy';
import { PACKAGE_ROOT } from '../paths';

const RECORD = buildFile('validated-state-machines.json');

// The verdict is the validator's: a definition is recorded under its text and the validator versions.
const validatorVersions = lazy(() =>
  [
    join(PACKAGE_ROOT, 'vendor', 'aws-local-stepfunctions', 'package.json'),
    require.resolve('asl-validator/package.json'),
  ]
    .map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version)
    .join(' '),
);

/** SHA-256 of the validator versions and the definition's JSON. */
const keyOf = (text: string) => contentKey(validatorVersions(), text);

// no build: every definition is validated
const recorded = lazy(() => new Set(readBuildRecord<string[]>(RECORD) ?? []));

/** The build validated exactly this definition with this validator. */
export const validatedByBuild = (text: string): boolean => recorded().has(keyOf(text));

/** Build step: records the definitions (as JSON) the build has just validated. */
export function recordValidated(texts: string[]): void {
  writeBuildRecord(RECORD, texts.map(keyOf));
}
