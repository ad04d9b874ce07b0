import { bearerChallenge } from './www-authenticate';

describe('bearerChallenge', () => {
  it('has no error for a request without a token', () => {
    expect(bearerChallenge()).toBe('Bearer realm="okc"');
  });

  it('names the error and describes it', () => {
    expect(bearerChallenge('invalid_token', 'The access token has expired')).toBe(
      'Bearer realm="okc", error="invalid_token", error_description="The access token has expired"',
    );
  });

  it('keeps the description inside its quoted string', () => {
    expect(bearerChallenge('invalid_token', 'say "hi"\\ Привет\r\nX: y')).toBe(
      'Bearer realm="okc", error="invalid_token", error_description="say hi X: y"',
    );
  });
});
