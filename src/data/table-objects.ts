import type { S3Port } from '../aws/ports';
import type { S3Location } from '../aws/s3-json';
import { listObjects } from '../aws/s3-list';
import { isTableDataKey } from './files';

/** One data file of a table as S3 lists it. */
export interface TableObject {
  key: string;
  /** key relative to the table's location */
  name: string;
  etag: string;
  size: number;
  modified: Date;
}

/** The table's data files under `location` (partition folders included, see isTableDataKey), by key. */
export async function listTableObjects(s3: S3Port, location: S3Location): Promise<TableObject[]> {
  const out: TableObject[] = [];
  for await (const o of listObjects(s3, location.bucket, location.key)) {
    const name = o.Key?.slice(location.key.length) ?? '';
    if (o.Key && isTableDataKey(name))
      out.push({
        key: o.Key,
        name,
        etag: o.ETag ?? '',
        size: o.Size ?? 0,
        modified: o.LastModified ?? new Date(0),
      });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
