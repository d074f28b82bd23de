/** LF-Tags of one resource: key → value (Lake Formation allows one value per key per resource). */
export type TagSet = Record<string, string>;

/** The LF-Tags assigned to a table and its columns. */
export interface TableTags {
  table: TagSet;
  columns: Record<string, TagSet>;
}

export const emptyTableTags = (): TableTags => ({ table: {}, columns: {} });

/** Lake Formation stores keys and values lower-cased: compare the way it does. */
export function sameTagValue(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
