import { accountKeyOf, parseIdentifier } from './identifier';

describe('parseIdentifier', () => {
  it.each([
    ['op1@demo', '', { login: 'op1', tenant: 'demo' }],
    ['  OP1@Demo ', undefined, { login: 'op1', tenant: 'demo' }],
    ['op1', 'demo', { login: 'op1', tenant: 'demo' }],
    ['op1@demo', 'demo', { login: 'op1', tenant: 'demo' }],
    ['оператор@acme', '', { login: 'оператор', tenant: 'acme' }],
    ['ivan.petrov@city-service_2', '', { login: 'ivan.petrov', tenant: 'city-service_2' }],
  ])('reads %j with tenant field %j', (login, tenant, expected) => {
    expect(parseIdentifier(login, tenant)).toEqual(expected);
  });

  it.each([
    ['op1', ''], // no tenant anywhere
    ['op1@demo', 'acme'], // two different tenants
    ['@demo', ''],
    ['op1@', ''],
    ['op 1@demo', ''],
    ['op1@de mo', ''],
    ['op1@Dem!o', ''],
    ['x'.repeat(129) + '@demo', ''],
  ])('refuses %j with tenant field %j', (login, tenant) => {
    expect(parseIdentifier(login, tenant)).toBeNull();
  });

  it('refuses non-string input (a form field sent twice arrives as an array)', () => {
    expect(parseIdentifier(['op1@demo', 'x'], '')).toBeNull();
    expect(parseIdentifier(undefined, 'demo')).toBeNull();
  });

  it('keys the account the same way however it was typed', () => {
    expect(accountKeyOf(parseIdentifier('OP1@demo', '')!)).toBe(
      accountKeyOf(parseIdentifier('op1', 'DEMO')!),
    );
  });
});
