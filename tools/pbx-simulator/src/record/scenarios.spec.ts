import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recordScenarios } from './scenarios';
import { SIMULATED_DIR } from './record-scenarios';

// fixtures/simulated is what the simulator plays today: re-record (record-scenarios.ts) after changing it.
describe('recorded scenarios (fixtures/simulated)', () => {
  const scenarios = recordScenarios();

  it('records one call per scenario, each ending', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(11);
    for (const s of scenarios) {
      expect([s.name, s.ledger.length, s.ledger[0]?.endedAt !== null]).toEqual([s.name, 1, true]);
    }
  });

  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s is the same in the repository',
    (name, scenario) => {
      expect(readFileSync(path.join(SIMULATED_DIR, `${name}.ami`), 'utf8')).toBe(scenario.transcript);
      const stored = JSON.parse(
        readFileSync(path.join(SIMULATED_DIR, `${name}.ledger.json`), 'utf8'),
      ) as unknown;
      expect(stored).toEqual({
        about: scenario.about,
        calls: JSON.parse(JSON.stringify(scenario.ledger)) as unknown,
      });
    },
  );
});
