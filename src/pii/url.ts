import type { RawMatch } from './types';

/**
 * Comprehend's URL: "a web address, such as www.example.com"
 * (https://docs.aws.amazon.com/comprehend/latest/dg/how-pii.html). Found when written with a
 * scheme (https://…, ftp://…), with a `www.` host, or as a bare host name followed by a path
 * (example.org/orders/17). A bare name without a path ("report.pdf", "Node.js") is not one.
 * Sentence punctuation after a URL is not part of it, nor an unbalanced closing bracket.
 * Offsets are UTF-16 (see RawMatch).
 */

const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?`;
const HOST = String.raw`(?:${LABEL}\.)+\p{L}{2,24}`;
const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
const PORT = String.raw`(?::\d{1,5})?`;
// Path, query and fragment: anything a URL may hold up to whitespace or a quote/angle bracket.
const REST = String.raw`(?:[/?#][^\s<>"'\u0060]*)?`;

const URL_RES = [
  new RegExp(
    String.raw`(?:https?|ftp)://(?:[^\s/@:]+(?::[^\s/@]*)?@)?(?:${HOST}|${IPV4}|\[[0-9A-Fa-f:.]+\]|localhost)${PORT}${REST}|(?<![\p{L}\p{N}@._-])www\.${HOST}${PORT}${REST}`,
    'giu',
  ),
  // Bare hosts are written in lowercase; "Node.js/Express" is a stack, not an address.
  new RegExp(
    String.raw`(?<![\p{L}\p{N}@._/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}${PORT}/[^\s<>"'\u0060]*`,
    'gu',
  ),
];

const TRAILING = /[.,;:!?…]+$/u;

/** Drops trailing sentence punctuation and closing brackets that were not opened inside the URL. */
function trimEnd(url: string): string {
  let out = url;
  for (;;) {
    const before = out;
    out = out.replace(TRAILING, '');
    const last = out.at(-1);
    const open = { ')': '(', ']': '[', '}': '{' }[last ?? ''];
    if (open && out.split(open).length <= out.split(last!).length - 1) out = out.slice(0, -1);
    if (out === before) return out;
  }
}

/** URLs in text. */
export function urls(text: string, out: RawMatch[]): void {
  if (!/[/.]/.test(text)) return;
  for (const re of URL_RES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const url = trimEnd(m[0]);
      out.push({
        entityType: 'URL',
        detector: 'url',
        start: m.index,
        end: m.index + url.length,
        score: 0.95,
      });
    }
  }
}
