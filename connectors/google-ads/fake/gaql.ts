/** A GAQL query as the fake understands it: enough of the grammar for the queries the connector sends. */
export interface GaqlQuery {
  fields: string[];
  resource: string;
  conditions: GaqlCondition[];
}

export interface GaqlCondition {
  field: string;
  operator: '=' | '!=' | '>=' | '<=' | '>' | '<';
  value: string;
}

/**
 * Parses `SELECT f, … FROM resource [WHERE c AND …] [ORDER BY …] [LIMIT n]`, with `BETWEEN a AND b` read as `>= a`
 * and `<= b`. Returns an error message for what it cannot read, as Google's QueryError would.
 */
export function parseGaql(query: string): GaqlQuery | { error: string } {
  const match = /^\s*SELECT\s+(.+?)\s+FROM\s+([a-z_]+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+.+?)?(?:\s+LIMIT\s+\d+)?\s*$/is.exec(query);
  if (!match) return { error: 'Error in query: unexpected input.' };
  const fields = match[1]!.split(',').map((f) => f.trim());
  const where = (match[3] ?? '').replace(/(\S+)\s+BETWEEN\s+('[^']*'|\S+)\s+AND\s+('[^']*'|\S+)/gi, '$1 >= $2 AND $1 <= $3');
  const conditions: GaqlCondition[] = [];
  for (const part of where ? where.split(/\s+AND\s+/i) : []) {
    const condition = /^(\S+)\s*(=|!=|>=|<=|>|<)\s*(?:'([^']*)'|(\S+))$/.exec(part.trim());
    if (!condition) return { error: `Error in query: cannot read condition "${part.trim()}".` };
    conditions.push({ field: condition[1]!, operator: condition[2] as GaqlCondition['operator'], value: condition[3] ?? condition[4]! });
  }
  return { fields, resource: match[2]!, conditions };
}

/** Whether a row value meets a condition; dates and date-times compare as text (their formats sort correctly). */
export function meets(value: string | number | undefined, condition: GaqlCondition): boolean {
  if (value === undefined) return false;
  const a = String(value);
  const b = condition.value;
  const numeric = /^-?\d+$/.test(a) && /^-?\d+$/.test(b);
  const order = numeric ? Math.sign(Number(a) - Number(b)) : a < b ? -1 : a > b ? 1 : 0;
  switch (condition.operator) {
    case '=': return order === 0;
    case '!=': return order !== 0;
    case '>=': return order >= 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '<': return order < 0;
  }
}

/** `click_view.keyword_info.text` → the JSON path `clickView.keywordInfo.text`. */
export function jsonPathOf(field: string): string[] {
  return field.split('.').map((part) => part.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
}
