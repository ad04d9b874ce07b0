import {
  assertOutboundUrl,
  forbiddenAddress,
  OutboundRefused,
  outboundPolicy,
  parseCidr,
} from './outbound-guard';

const production = outboundPolicy(false, ['10.20.0.0/16', 'fd00:abcd::/32', '192.0.2.10']);
const development = outboundPolicy(true, []);

describe('outbound guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['10.20.5.6', 'OUTBOUND_DENY_CIDRS'],
    ['192.0.2.10', 'OUTBOUND_DENY_CIDRS'],
    ['fd00:abcd::5', 'OUTBOUND_DENY_CIDRS'],
  ])('refuses %s in production (%s)', (address, reason) => {
    expect(forbiddenAddress(address, production)).toContain(reason);
  });

  it.each([
    '93.184.216.34',
    '10.0.0.5',
    '10.21.0.1',
    '192.168.1.20',
    '172.16.4.4',
    '192.0.2.11',
    '2001:db8::1',
  ])('allows %s (public, or a private network that is not the platform’s)', (address) => {
    expect(forbiddenAddress(address, production)).toBeNull();
  });

  it('allows loopback outside production, never link-local', () => {
    expect(forbiddenAddress('127.0.0.1', development)).toBeNull();
    expect(forbiddenAddress('169.254.169.254', development)).toContain('link-local');
  });

  it('judges IP literals in URLs before any request, and lets names through to the connect-time check', () => {
    expect(() => assertOutboundUrl('http://169.254.169.254/latest/meta-data', development)).toThrow(
      OutboundRefused,
    );
    expect(() => assertOutboundUrl('http://[::1]:8080/x', production)).toThrow(/loopback/);
    expect(() => assertOutboundUrl('https://crm.clinic.example/api', production)).not.toThrow();
    expect(() => assertOutboundUrl('http://10.0.0.5/api', production)).not.toThrow();
  });

  it('reads CIDRs and single addresses, and refuses anything else', () => {
    expect(parseCidr('10.20.0.0/16')).toEqual({ address: '10.20.0.0', prefix: 16, type: 'ipv4' });
    expect(parseCidr('fd00::/8')).toEqual({ address: 'fd00::', prefix: 8, type: 'ipv6' });
    expect(parseCidr('192.0.2.10')).toEqual({ address: '192.0.2.10', prefix: 32, type: 'ipv4' });
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('intranet')).toBeNull();
  });
});
