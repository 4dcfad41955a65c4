/**
 * Parses JSON keeping integers beyond JavaScript's safe range as strings. Google's lead form webhook sends int64 ids
 * (`form_id`, `campaign_id`, `creative_id`) as JSON numbers, and `JSON.parse` would silently round them. Numbers are
 * rewritten to strings outside string literals only; everything else is plain `JSON.parse`.
 */
export function parseJsonKeepingInt64(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = endOfString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      const literal = match[0];
      const isUnsafeInteger = !match[1] && !match[2] && !Number.isSafeInteger(Number(literal));
      out += isUnsafeInteger ? `"${literal}"` : literal;
      i += literal.length || 1;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out);
}

/** The index just past the closing quote of the string literal starting at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return text.length;
}
