// `@okc/auth/testing`: helpers for tests of services that check our access tokens. Never imported by
// production code.
export { startTestIssuer, type MintOptions, type TestIssuer, type TestIssuerOptions } from './test-issuer';
