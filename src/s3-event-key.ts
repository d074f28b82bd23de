/**
 * An S3 event's object key, decoded: keys may arrive URL-encoded (`+` for space). A key that does not
 * decode (a literal `%` not followed by two hex digits) is taken as is rather than throwing a URIError.
 */
export function decodeEventKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}
