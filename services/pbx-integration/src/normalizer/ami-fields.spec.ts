import { interfaceOfChannel, numberOfDialString, phoneNumberOrNull, timestampMs } from './ami-fields';

describe('AMI field readers', () => {
  it.each([
    ['1795637069.421202', 1795637069421],
    ['1795637069.9999', 1795637069999],
    ['1795637069.5', 1795637069500],
    ['1795637069', 1795637069000],
  ])('reads Timestamp %s as %i ms, truncating below the millisecond', (text, ms) => {
    expect(timestampMs({ timestamp: text })).toBe(ms);
  });

  it.each(['', 'abc', '17956.37069.1', '-1.5', '1795637069.12x'])('rejects Timestamp %p', (text) => {
    expect(timestampMs({ timestamp: text })).toBeNull();
  });

  it.each([
    ['PJSIP/101-0000002a', 'PJSIP/101'],
    ['SIP/777-000000bc', 'SIP/777'],
    ['Local/101@agents-00000036;1', 'Local/101@agents'],
    ['PJSIP/provider-0000001f', 'PJSIP/provider'],
    ['DAHDI/1-1', 'DAHDI/1'],
  ])('the interface of channel %s is %s', (channel, iface) => {
    expect(interfaceOfChannel(channel)).toBe(iface);
  });

  it.each([
    ['79160000002@provider', '79160000002'],
    ['trunk/+79160000002', '+79160000002'],
    ['PJSIP/79160000002@provider', '79160000002'],
    ['Local/101@agents/n', '101'],
    ['provider', null],
    [undefined, null],
  ])('the number in Dial string %p is %p', (dial, number) => {
    expect(numberOfDialString(dial)).toBe(number);
  });

  it.each([
    ['74951234567', '74951234567'],
    [' +79161234567 ', '+79161234567'],
    ['s', null],
    ['support', null],
    ['<unknown>', null],
  ])('phone number %p → %p', (value, number) => {
    expect(phoneNumberOrNull(value)).toBe(number);
  });
});
