// The Glue tables over the ingestion output: extracted_text (one row per ingestion: the text and the
// entities found in it) and documents_metadata (one record per ingestion). Both are JSON lines under
// `tables/<table>/dt=YYYY-MM-DD/` of the extracted bucket. The date folders are a layout, not Glue
// partition keys: Athena reads the folders of an unpartitioned table recursively. Filter by date with
// `processed_at`. The table-governance job evaluates these tables but never re-registers them
// (`--update_catalog false`): this definition stays the catalog's.
// One definition serves the cloud stack (serverless/governance.js) and the local catalog.
import type { Column, TableInput } from '@aws-sdk/client-glue';
import type { GluePort } from '../aws/ports';
import { s3Uri } from '../aws/s3-json';
import type { Settings } from '../aws/services';
import { DOCUMENT_TABLES, type DocumentTable, documentTableLocation, EXTRACTED_TABLE } from './keys';

const str = (Name: string, Comment: string): Column => ({ Name, Type: 'string', Comment });

export const DOCUMENT_TABLE_COLUMNS: Record<DocumentTable, Column[]> = {
  extracted_text: [
    str('raw_uri', 's3://bucket/key of the raw object'),
    str('raw_key', 'key of the raw object'),
    str('version_id', 'raw object version'),
    str('etag', 'raw object ETag'),
    str('kind', 'document | image | audio | text'),
    str('format', 'pdf, png, wav, txt, docx, …'),
    str('language', 'dominant language (Comprehend)'),
    str('text', 'the extracted text'),
    str('pii_entities', 'JSON array: Comprehend PII entities with code point offsets and the matched text'),
    str('entities', 'JSON array: Comprehend entities with code point offsets'),
    str('key_phrases', 'JSON array: key phrases'),
    str('sentiment', 'POSITIVE | NEGATIVE | NEUTRAL | MIXED'),
    str('extracted_uri', 's3:// URI of the extracted JSON'),
    str('execution_id', 'ingestion execution'),
    str('processed_at', 'ISO time of the ingestion'),
  ],
  documents_metadata: [
    str('raw_uri', 's3://bucket/key of the raw object'),
    str('raw_bucket', 'raw bucket'),
    str('raw_key', 'key of the raw object'),
    str('version_id', 'raw object version'),
    str('etag', 'raw object ETag'),
    { Name: 'size', Type: 'bigint', Comment: 'raw object size in bytes' },
    str('content_type', 'Content-Type of the raw object'),
    str('kind', 'document | image | audio | text | unsupported'),
    str('format', 'format detected from the content'),
    str('extracted_uri', 's3:// URI of the extracted JSON, when there is one'),
    str('language', 'dominant language'),
    str('pii_entity_types', 'PII types found, comma-separated'),
    str('pii_entity_counts', 'JSON object: PII type → count'),
    str('sentiment', 'overall sentiment'),
    str('key_phrases', 'JSON array: top key phrases'),
    str('classification', 'autogov:classification tag given to the raw object'),
    str(
      'status',
      'processed | empty | unsupported | too_large | corrupt | encrypted | unsupported_language | unavailable | timed_out | failed',
    ),
    str('reason', 'why, when the status is not processed'),
    str('execution_id', 'ingestion execution'),
    str('processed_at', 'ISO time of the ingestion'),
  ],
};

/** A Glue TableInput for one of the document tables; `location` is an s3:// URI (or a CloudFormation value). */
export function documentTableInput<L>(table: DocumentTable, location: L) {
  return {
    Name: table,
    Description:
      table === EXTRACTED_TABLE
        ? 'autogov: text extracted from raw objects, with the entities found in it'
        : 'autogov: one metadata record per ingested raw object',
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'json', 'autogov:documents': 'true' },
    StorageDescriptor: {
      Columns: DOCUMENT_TABLE_COLUMNS[table],
      Location: location,
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
    },
  };
}

const notFound = (err: unknown) => (err as { name?: string }).name === 'EntityNotFoundException';

/** Registers the documents database and a table when missing (the cloud stack creates them up front). */
export async function ensureDocumentTable(glue: GluePort, s: Settings, table: DocumentTable): Promise<void> {
  const DatabaseName = s.documentsDatabase;
  await glue.getDatabase({ Name: DatabaseName }).catch(async (err: unknown) => {
    if (!notFound(err)) throw err;
    await glue
      .createDatabase({
        DatabaseInput: {
          Name: DatabaseName,
          Description: 'autogov: unstructured files',
          CreateTableDefaultPermissions: [],
        },
      })
      .catch((e: unknown) => {
        if ((e as { name?: string }).name !== 'AlreadyExistsException') throw e;
      });
  });
  try {
    await glue.getTable({ DatabaseName, Name: table });
  } catch (err) {
    if (!notFound(err)) throw err;
    const TableInput: TableInput = documentTableInput(table, s3Uri(documentTableLocation(s, table)));
    await glue.createTable({ DatabaseName, TableInput }).catch((e: unknown) => {
      if ((e as { name?: string }).name !== 'AlreadyExistsException') throw e;
    });
  }
}

export { DOCUMENT_TABLES };
