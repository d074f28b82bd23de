// CLI over the ingestion path: `ingest FILE` without --table (wired from lake-commands), `documents`,
// `show RAW_KEY`, and `access RAW_KEY` (wired from lake-commands when the argument is a raw object).
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { LakeReader } from '../app/lake-reader';
import type { ExecutionSummary, LocalLake } from '../app/local-lake';
import { UserError } from '../errors';
import type { RawAccess } from '../ingest/access';
import type { MetadataRecord } from '../ingest/record';
import { lazy } from '../lazy';
import { type CommonOptions, commonOptions, printJson } from './common';
import type { CliRun } from './io';
import { readLake } from './read-lake';

/** Loaded by the commands that use it: it pulls in the local AWS emulators and the extractors. */
export const documents = lazy(() => require('../app/documents') as typeof import('../app/documents'));

type WithLake = <T>(opts: CommonOptions, fn: (lake: LocalLake) => Promise<T>) => Promise<T>;

interface IngestOutput {
  name: string;
  status: string;
  error?: string;
  record?: MetadataRecord;
}

const recordOf = (r: ExecutionSummary): MetadataRecord | undefined =>
  (r.output as { recorded?: { record?: MetadataRecord } } | undefined)?.recorded?.record;

/** `autogov ingest FILE [--key KEY]`: the file into the raw bucket, ingest-object run to completion. */
export async function ingestDocumentCommand(
  withLake: WithLake,
  opts: CommonOptions,
  file: string,
  key: string | undefined,
): Promise<void> {
  const runs = await withLake(opts, async (lake) => {
    const all = await documents().ingestDocument(lake, file, key);
    // A failed ingestion's output is not kept; its record is, so read it back from the metadata table.
    const records = await documents().listDocuments(lake);
    return all.map((r): IngestOutput => {
      const record = recordOf(r) ?? records.filter((x) => x.execution_id.endsWith(`:${r.name}`)).at(-1);
      return { name: r.name, status: r.status, error: r.error, record };
    });
  });
  const ingestions = runs.filter((r) => r.name.startsWith('ingest-'));
  if (opts.json) printJson(opts.io, { executions: runs });
  else {
    if (!ingestions.length)
      opts.io.out('nothing new to ingest: the same content was already ingested under this key');
    for (const r of ingestions) {
      const rec = r.record;
      if (!rec) {
        opts.io.out(`${r.status.toLowerCase()}: ${r.name}${r.error ? ` — ${r.error}` : ''}`);
        continue;
      }
      const pii = rec.pii_entity_types ? `, PII ${rec.pii_entity_types}` : '';
      opts.io.out(
        `${rec.status}: ${rec.raw_key} (${rec.kind ?? 'unknown'}/${rec.format ?? '?'}) → ${rec.classification}${pii}${rec.reason ? ` — ${rec.reason}` : ''}`,
      );
    }
    for (const r of runs.filter((x) => !x.name.startsWith('ingest-')))
      opts.io.out(r.status === 'SUCCEEDED' ? `governed: ${r.name}` : `${r.status.toLowerCase()}: ${r.name}`);
  }
  const failed = runs.find((r) => r.status !== 'SUCCEEDED');
  if (failed) throw new UserError(failed.error ?? `${failed.name} ${failed.status}`, 1);
}

function renderRawAccess(key: string, access: RawAccess[]): string {
  const table = new Table({ head: ['persona', `serves ${key}`, 'why'], style: { head: [], border: [] } });
  for (const a of access) table.push([a.persona, a.allowed ? 'yes' : 'no', a.reason]);
  return table.toString();
}

/** `autogov access RAW_KEY [--as PERSONA]`: would the persona's access point serve the raw object? */
export function printRawAccess(
  opts: CommonOptions,
  key: string,
  persona: string | undefined,
  access: RawAccess[],
): void {
  if (opts.json) printJson(opts.io, persona === undefined ? access : access[0]);
  else opts.io.out(renderRawAccess(key, access));
}

/** True when KEY names an object in the raw bucket (so `access KEY` is about the object). */
export async function isRawObject(lake: LakeReader, key: string): Promise<boolean> {
  const { s3, settings } = lake.services;
  return s3
    .headObject({ Bucket: settings.rawBucket, Key: key })
    .then(() => true)
    .catch(() => false);
}

function renderDocuments(records: MetadataRecord[]): string {
  const table = new Table({
    head: ['raw key', 'kind', 'status', 'class', 'language', 'PII', 'reason'],
    style: { head: [], border: [] },
  });
  for (const r of records)
    table.push([
      r.raw_key,
      `${r.kind ?? '?'}/${r.format ?? '?'}`,
      r.status,
      r.classification,
      r.language ?? '',
      r.pii_entity_types,
      (r.reason ?? '').slice(0, 60),
    ]);
  return table.toString();
}

export function registerDocumentCommands(program: Command, cli: CliRun): void {
  program
    .command('documents')
    .description('metadata records of ingested raw objects (status, kind, classification, PII types)')
    .action(async (_o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const records = await readLake(opts, async (lake) => documents().listDocuments(lake));
      if (opts.json) printJson(opts.io, records);
      else if (!records.length) opts.io.out('no documents yet: autogov ingest FILE');
      else opts.io.out(renderDocuments(records));
    });

  program
    .command('show')
    .description(
      'the extracted JSON of a raw object: text, PII entities (code point offsets), entities, key phrases',
    )
    .argument('<raw-key>', 'key of the object in the raw bucket')
    .action(async (key: string, _o, cmd: Command) => {
      const opts = commonOptions(cmd, cli);
      const doc = await readLake(opts, async (lake) => documents().showExtracted(lake, key));
      if (opts.json) {
        printJson(opts.io, doc);
        return;
      }
      opts.io.out(
        `${doc.raw.uri} (${doc.kind}/${doc.format}, ${doc.source}) — ${doc.status}${doc.reason ? `: ${doc.reason}` : ''}`,
      );
      opts.io.out(
        `language: ${doc.language.code ?? 'unknown'}; sentiment: ${doc.sentiment?.Sentiment ?? '—'}`,
      );
      opts.io.out(`\n${doc.text}\n`);
      const table = new Table({
        head: ['PII', 'offsets (code points)', 'text'],
        style: { head: [], border: [] },
      });
      for (const e of doc.piiEntities)
        table.push([e.Type ?? '', `${e.BeginOffset}–${e.EndOffset}`, e.Text ?? '']);
      opts.io.out(doc.piiEntities.length ? table.toString() : 'no PII found');
      if (doc.warnings.length) opts.io.out(`warnings: ${doc.warnings.join('; ')}`);
    });
}
