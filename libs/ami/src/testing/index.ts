// `@okc/ami/testing`: for tests of AMI clients; never imported by production code.
export { FakeAsterisk, type Fields, type ServerConnection } from './fake-asterisk';
