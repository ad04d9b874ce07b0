import { fillBodyTemplate, fillUrlTemplate, headerValue } from './lookup-template';

describe('fillUrlTemplate', () => {
  it('puts the number URL-encoded wherever {number} is', () => {
    expect(fillUrlTemplate('https://crm/api/customers?phone={number}', '+74951234567')).toBe(
      'https://crm/api/customers?phone=%2B74951234567',
    );
    expect(fillUrlTemplate('https://crm/{number}/card?again={number}', '123')).toBe(
      'https://crm/123/card?again=123',
    );
  });

  it('keeps a hostile number from changing the path or the query', () => {
    expect(fillUrlTemplate('https://crm/api?phone={number}', '1&admin=1/../x#y')).toBe(
      'https://crm/api?phone=1%26admin%3D1%2F..%2Fx%23y',
    );
  });

  it('leaves a template without {number} as it is', () => {
    expect(fillUrlTemplate('https://crm/api/search', '123')).toBe('https://crm/api/search');
  });
});

describe('fillBodyTemplate', () => {
  it('escapes the number as JSON string content for JSON bodies', () => {
    const body = fillBodyTemplate('{"phone":"{number}"}', '12"}, "admin": true, "x":"', 'application/json');
    expect(JSON.parse(body)).toEqual({ phone: '12"}, "admin": true, "x":"' });
    expect(fillBodyTemplate('{"phone":"{number}"}', '+7495', 'application/vnd.api+json; charset=utf-8')).toBe(
      '{"phone":"+7495"}',
    );
  });

  it('URL-encodes it for forms', () => {
    expect(fillBodyTemplate('phone={number}&x=1', '+7 495&y=2', 'application/x-www-form-urlencoded')).toBe(
      'phone=%2B7%20495%26y%3D2&x=1',
    );
  });

  it('inserts it as it is for other types', () => {
    expect(fillBodyTemplate('<phone>{number}</phone>', '+7495', 'text/xml')).toBe('<phone>+7495</phone>');
  });
});

describe('headerValue', () => {
  it('finds a header whatever its case', () => {
    expect(headerValue({ 'Content-Type': 'text/plain' }, 'content-type')).toBe('text/plain');
    expect(headerValue({ Authorization: 'x' }, 'content-type')).toBeUndefined();
  });
});
