import { parseCliOptions, parseDuration, UsageError } from './cli-options';

describe('command line', () => {
  it('reads the documented options', () => {
    const options = parseCliOptions([
      '--tenant',
      'demo',
      '--calls-per-hour',
      '600',
      '--agents',
      '10',
      '--seed',
      '1',
      '--port',
      '5039',
      '--username',
      'okc',
      '--secret',
      's3cret',
      '--duration',
      '1h',
      '--fast',
      '--ledger',
      'out.json',
      '--queue-log',
      'out.log',
    ]);
    expect(options).toMatchObject({
      tenant: 'demo',
      callsPerHour: 600,
      agents: 10,
      seed: 1,
      port: 5039,
      username: 'okc',
      secret: 's3cret',
      durationSec: 3600,
      fast: true,
      ledgerPath: 'out.json',
      queueLogPath: 'out.log',
    });
  });

  it('reads real-time pacing that waits for the first login', () => {
    expect(parseCliOptions(['--speed', '30', '--wait-for-client'])).toMatchObject({
      speed: 30,
      waitForClient: true,
    });
    expect(parseCliOptions(['--speed', '30']).valueOf()).not.toHaveProperty('waitForClient', true);
  });

  it('reads a replay', () => {
    expect(parseCliOptions(['--replay', 'x.ami', '--replay-speed', '0', '--replay-loop'])).toMatchObject({
      replay: { file: 'x.ami', speed: 0, loop: true },
    });
  });

  it('reads durations', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('30m')).toBe(1800);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(() => parseDuration('soon')).toThrow(UsageError);
  });

  it('names the option that is wrong', () => {
    expect(() => parseCliOptions(['--agents', 'many'])).toThrow(/--agents: expected an integer/);
    expect(() => parseCliOptions(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseCliOptions(['--speed', '0'])).toThrow(/--speed/);
    expect(() => parseCliOptions(['--nope'])).toThrow();
  });

  it('asks for help', () => {
    expect(parseCliOptions(['--help'])).toBe('help');
  });
});
