import { createEngine, renderAll, runToCompletion, type EngineOptions } from './engine';

const options: EngineOptions = { seed: 11, agents: 6, callsPerHour: 400, limits: { calls: 80 } };

function run(seed: number) {
  const engine = createEngine({ ...options, seed });
  const bytes = renderAll(runToCompletion(engine));
  return {
    bytes,
    ledger: JSON.stringify(engine.ledger.toJSON()),
    queueLog: engine.queueLog.lines().join('\n'),
  };
}

describe('determinism', () => {
  const first = run(11);

  it('gives a byte-identical event stream, ledger and queue_log for the same seed', () => {
    const second = run(11);
    expect(second.bytes.length).toBeGreaterThan(100_000);
    expect(second.bytes === first.bytes).toBe(true);
    expect(second.ledger).toBe(first.ledger);
    expect(second.queueLog).toBe(first.queueLog);
  });

  it('gives other calls for another seed', () => {
    const other = run(12);
    expect(other.bytes === first.bytes).toBe(false);
    expect(other.ledger).not.toBe(first.ledger);
  });
});
