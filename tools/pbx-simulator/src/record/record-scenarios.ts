/**
 * Writes fixtures/simulated/<scenario>.ami and <scenario>.ledger.json (see scenarios.ts):
 *   node -r @swc-node/register tools/pbx-simulator/src/record/record-scenarios.ts
 * Run it after changing what the simulator sends; test/recorded-scenarios.int-spec.ts fails until then.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recordScenarios } from './scenarios';

export const SIMULATED_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'fixtures', 'simulated');

if (require.main === module) {
  mkdirSync(SIMULATED_DIR, { recursive: true });
  for (const scenario of recordScenarios()) {
    writeFileSync(path.join(SIMULATED_DIR, `${scenario.name}.ami`), scenario.transcript);
    writeFileSync(
      path.join(SIMULATED_DIR, `${scenario.name}.ledger.json`),
      `${JSON.stringify({ about: scenario.about, calls: scenario.ledger }, null, 2)}\n`,
    );
    process.stdout.write(`${scenario.name}: ${scenario.ledger.length} call(s)\n`);
  }
}
