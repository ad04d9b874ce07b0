import { errorCodeForStatus } from './error-body';

describe('errorCodeForStatus', () => {
  it.each([
    [400, 'BAD_REQUEST'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [418, 'I_M_A_TEAPOT'],
    [429, 'TOO_MANY_REQUESTS'],
    [500, 'INTERNAL'],
    [503, 'SERVICE_UNAVAILABLE'],
    [599, 'INTERNAL'],
    [499, 'BAD_REQUEST'],
  ])('%i → %s', (status, code) => {
    expect(errorCodeForStatus(status)).toBe(code);
  });
});
