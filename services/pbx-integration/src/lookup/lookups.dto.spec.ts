import { parseBody, ValidationFailedError } from '@okc/runtime';
import { createLookupConnectorSchema, testLookupSchema } from './lookups.dto';

const http = {
  type: 'http-json',
  name: 'CRM',
  urlTemplate: 'https://crm.example.com/api/customers?phone={number}',
  fieldMapping: { name: 'data.customer.name' },
};
const mysql = {
  type: 'mysql',
  name: 'Billing',
  host: 'db.example.com',
  user: 'okc_lookup',
  password: 'pw',
  database: 'billing',
  query: 'SELECT name FROM customers WHERE phone = ?',
  fieldMapping: { name: 'name' },
};

/** The fields a body is refused for (empty when accepted). */
function badFields(body: unknown): string[] {
  try {
    parseBody(createLookupConnectorSchema, body);
    return [];
  } catch (err) {
    if (!(err instanceof ValidationFailedError)) throw err;
    return err.violations.map((v) => v.field);
  }
}

describe('lookup connector validation', () => {
  it('fills the defaults of a minimal connector of each type', () => {
    expect(parseBody(createLookupConnectorSchema, http)).toEqual({
      ...http,
      enabled: true,
      priority: 100,
      timeoutMs: 1000,
      cacheTtlS: 300,
      method: 'GET',
      bodyTemplate: null,
      headers: {},
    });
    expect(parseBody(createLookupConnectorSchema, mysql)).toMatchObject({ port: 3306, timeoutMs: 1000 });
  });

  it('accepts a POST with a body template carrying the number, and secret headers', () => {
    expect(
      badFields({
        ...http,
        urlTemplate: 'https://crm.example.com/api/search',
        method: 'POST',
        bodyTemplate: '{"phone":"{number}"}',
        headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k' },
      }),
    ).toEqual([]);
  });

  it.each([
    [{ ...http, type: 'ldap' }, 'type'],
    [{ ...http, urlTemplate: 'not a url {number}' }, 'urlTemplate'],
    [{ ...http, urlTemplate: 'ftp://crm/{number}' }, 'urlTemplate'],
    [{ ...http, urlTemplate: 'https://user:pw@crm/{number}' }, 'urlTemplate'],
    [{ ...http, urlTemplate: 'https://crm/api' }, 'urlTemplate'],
    [{ ...http, method: 'PUT' }, 'method'],
    [{ ...http, bodyTemplate: '{"p":"{number}"}' }, 'bodyTemplate'],
    [{ ...http, headers: { 'bad header': 'x' } }, 'headers.bad header'],
    [{ ...http, headers: { Host: 'evil' } }, 'headers.Host'],
    [{ ...http, headers: { 'X-A': 'line\r\nbreak' } }, 'headers.X-A'],
    [{ ...http, headers: { 'X-A': 'a', 'x-a': 'b' } }, 'headers.x-a'],
    [{ ...http, timeoutMs: 99 }, 'timeoutMs'],
    [{ ...http, timeoutMs: 10_001 }, 'timeoutMs'],
    [{ ...http, cacheTtlS: -1 }, 'cacheTtlS'],
    [{ ...http, priority: 1.5 }, 'priority'],
    [{ ...http, fieldMapping: {} }, 'fieldMapping'],
    [{ ...http, fieldMapping: { name: 'a..b' } }, 'fieldMapping.name'],
    [{ ...http, fieldMapping: { ['k'.repeat(129)]: 'a' } }, `fieldMapping.${'k'.repeat(129)}`],
    [{ ...http, fieldMapping: { name: 5 } }, 'fieldMapping.name'],
    [{ ...http, extra: 1 }, 'extra'],
    [{ ...http, name: '' }, 'name'],
    [{ ...mysql, query: 'DELETE FROM customers WHERE phone = ?' }, 'query'],
    [{ ...mysql, query: 'SELECT name FROM customers WHERE phone = ?; DROP TABLE customers' }, 'query'],
    [{ ...mysql, query: 'SELECT name FROM customers' }, 'query'],
    [{ ...mysql, host: 'bad host!' }, 'host'],
    [{ ...mysql, port: 0 }, 'port'],
    [{ ...mysql, database: 'a.b' }, 'database'],
    [{ ...mysql, user: undefined }, 'user'],
    [{ ...mysql, urlTemplate: 'https://x/{number}' }, 'urlTemplate'],
  ])('names the bad field of %j', (body, field) => {
    expect(badFields(body)).toContain(field);
  });

  it('validates the number of a test run', () => {
    expect(parseBody(testLookupSchema, { number: ' +74951234567 ' })).toEqual({ number: '+74951234567' });
    expect(() => parseBody(testLookupSchema, { number: 'abc' })).toThrow(ValidationFailedError);
    expect(() => parseBody(testLookupSchema, { number: '1'.repeat(33) })).toThrow(ValidationFailedError);
  });
});
