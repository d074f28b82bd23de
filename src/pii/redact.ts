/**
 * Redacted form of a detected value, safe to show in findings and `explain`: each word keeps its
 * first letter and every other letter, mark and digit becomes `*` (`John Smith` → `J*** S****`,
 * `123-45-6789` → `***-**-****`); an e-mail also keeps its top-level domain
 * (`john@example.com` → `j***@e******.com`). Separators stay, so the shape remains readable.
 * glue-scripts/governance_helpers.py `redact` is its twin; test/fixtures/redaction.json holds
 * the cases both must agree on.
 */
export function redact(value: string): string {
  const at = value.lastIndexOf('@');
  if (at > 0 && at < value.length - 1) {
    const labels = value.slice(at + 1).split('.');
    const tld = labels.length > 1 ? `.${labels.pop()}` : '';
    return `${maskWord(value.slice(0, at))}@${labels.map(maskWord).join('.')}${tld}`;
  }
  return maskWords(value);
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const LETTER = /\p{L}/u;

/** The whole string as one word: its first character kept when it is a letter. */
function maskWord(word: string): string {
  return [...word].map((c, i) => (i === 0 && LETTER.test(c) ? c : '*')).join('');
}

function maskWords(text: string): string {
  let out = '';
  let inWord = false;
  for (const c of text) {
    const wordChar = WORD_CHAR.test(c);
    out += wordChar ? (!inWord && LETTER.test(c) ? c : '*') : c;
    inWord = wordChar;
  }
  return out;
}
