import { issuerFetch, rewriteUrl } from './issuer-fetch';

describe('rewriteUrl', () => {
  const from = 'http://localhost:8080/sso';
  const to = 'http://127.0.0.1:3001/sso';

  it.each([
    [`${from}/.well-known/openid-configuration`, `${to}/.well-known/openid-configuration`],
    [`${from}/jwks`, `${to}/jwks`],
    [from, to],
    [`${from}?x=1`, `${to}?x=1`],
  ])('moves %s under the discovery URL', (url, expected) => {
    expect(rewriteUrl(url, from, to)).toBe(expected);
  });

  it.each([
    ['http://localhost:8080/ssox/jwks'],
    ['http://localhost:8080/api/v1/sso'],
    ['https://other/sso/jwks'],
  ])('leaves %s alone', (url) => {
    expect(rewriteUrl(url, from, to)).toBe(url);
  });
});

describe('issuerFetch', () => {
  it('sends requests for the issuer to the discovery URL', async () => {
    const seen: string[] = [];
    const fetch = issuerFetch('https://okc.example/sso', 'http://sso:3001/sso', (url) => {
      seen.push(url);
      return Promise.resolve(new Response('{}'));
    });
    await fetch('https://okc.example/sso/jwks', {});
    await fetch('https://elsewhere.example/jwks', {});
    expect(seen).toEqual(['http://sso:3001/sso/jwks', 'https://elsewhere.example/jwks']);
  });
});
