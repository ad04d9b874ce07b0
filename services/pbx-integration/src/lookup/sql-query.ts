/**
 * The checks a mysql connector's query passes before it is stored. They keep honest mistakes out and name
 * them; the guarantee that a lookup cannot write is the read-only session and transaction it runs in
 * (mysql-lookup.runner.ts), not this text inspection.
 */

export const MAX_QUERY_PARAMETERS = 10;

/** The query with string literals and quoted names blanked, and the `?` placeholders outside them counted. */
function scan(sql: string): { code: string; parameters: number } {
  let code = '';
  let parameters = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      // A quoted literal or name: doubled quotes and (except in names) backslashes escape.
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '\\' && ch !== '`') j += 2;
        else if (sql[j] === ch && sql[j + 1] === ch) j += 2;
        else if (sql[j] === ch) break;
        else j += 1;
      }
      code += ' ';
      i = j + 1;
    } else if (ch === '#' || (ch === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ' '))) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      // Kept in `code`: MySQL runs the inside of `/*! … */`, so the keyword checks must see it.
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      code += sql.slice(i, stop);
      i = stop;
    } else {
      if (ch === '?') parameters += 1;
      code += ch;
      i += 1;
    }
  }
  return { code, parameters };
}

/** How many `?` placeholders the query has (outside literals and comments): each receives the number. */
export function countQueryParameters(sql: string): number {
  return scan(sql).parameters;
}

/** Why the query is refused, or null when it is a single parameterized SELECT. */
export function selectQueryProblem(sql: string): string | null {
  if (!/^\s*select\s/i.test(sql)) return 'only a SELECT is allowed: the query must start with SELECT';
  if (sql.includes(';')) return 'a single statement only: remove every ";"';
  const { code, parameters } = scan(sql);
  if (/\binto\b/i.test(code)) return 'SELECT … INTO is not allowed (it writes)';
  if (/\bfor\s+(update|share)\b|\block\s+in\s+share\s+mode\b/i.test(code)) {
    return 'locking reads (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) are not allowed';
  }
  if (parameters === 0) return "put ? where the caller's number goes (WHERE phone = ?)";
  if (parameters > MAX_QUERY_PARAMETERS) return `at most ${MAX_QUERY_PARAMETERS} ? placeholders`;
  return null;
}
