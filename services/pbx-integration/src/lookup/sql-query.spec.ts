import { countQueryParameters, selectQueryProblem } from './sql-query';

describe('selectQueryProblem', () => {
  it.each([
    'SELECT name FROM customers WHERE phone = ?',
    '  select name, tier from customers where phone = ? or mobile = ?',
    "SELECT name FROM customers WHERE phone = ? AND note <> 'updated into'",
    'SELECT c.name FROM customers c JOIN accounts a ON a.customer_id = c.id WHERE c.phone = ? LIMIT 1',
    'SELECT name\nFROM customers\nWHERE phone = ? -- the main number',
  ])('accepts a single parameterized SELECT: %s', (sql) => {
    expect(selectQueryProblem(sql)).toBeNull();
  });

  it.each([
    ['DELETE FROM customers WHERE phone = ?', /must start with SELECT/],
    ['UPDATE customers SET name = ? WHERE 1', /must start with SELECT/],
    ['INSERT INTO log SELECT ?', /must start with SELECT/],
    ['WITH x AS (SELECT 1) SELECT * FROM x WHERE ? ', /must start with SELECT/],
    ['SELECT name FROM customers WHERE phone = ?; DROP TABLE customers', /single statement/],
    ['SELECT name FROM customers WHERE phone = ?;', /single statement/],
    ["SELECT name FROM customers WHERE phone = ? AND x = ';'", /single statement/],
    ["SELECT name FROM customers WHERE phone = ? INTO OUTFILE '/tmp/x'", /INTO is not allowed/],
    ['SELECT name INTO @n FROM customers WHERE phone = ?', /INTO is not allowed/],
    ['SELECT name FROM customers WHERE phone = ? /*! INTO OUTFILE "/tmp/x" */', /INTO is not allowed/],
    ['SELECT name FROM customers WHERE phone = ? FOR UPDATE', /locking reads/],
    ['SELECT name FROM customers WHERE phone = ? FOR  SHARE', /locking reads/],
    ['SELECT name FROM customers WHERE phone = ? LOCK IN SHARE MODE', /locking reads/],
    ["SELECT name FROM customers WHERE phone = '?'", /put \? where/],
    ['SELECT name FROM customers -- WHERE phone = ?', /put \? where/],
    [`SELECT name FROM customers WHERE phone IN (${Array(11).fill('?').join(',')})`, /at most 10/],
  ])('refuses %j', (sql, problem) => {
    expect(selectQueryProblem(sql)).toMatch(problem);
  });
});

describe('countQueryParameters', () => {
  it('counts the ? placeholders outside literals, quoted names and comments', () => {
    expect(countQueryParameters('SELECT a FROM t WHERE p = ? OR m = ?')).toBe(2);
    expect(countQueryParameters("SELECT 'what?' AS q, `col?` FROM t WHERE p = ?")).toBe(1);
    expect(countQueryParameters("SELECT 'it''s ? here', \"a\\\"?\" FROM t WHERE p = ?")).toBe(1);
    expect(countQueryParameters('SELECT a FROM t WHERE p = ? # or ?\n AND 1')).toBe(1);
    expect(countQueryParameters('SELECT a /* ? */ FROM t WHERE p = ?')).toBe(1);
  });
});
