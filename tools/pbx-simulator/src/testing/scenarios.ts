import { defaultQueue, type QueueConfig } from '../engine/config';
import { createEngine, type Engine } from '../engine/engine';
import { fixedInboundPlan } from '../engine/plans';

type FixedPlan = Parameters<typeof fixedInboundPlan>[0];
import type { AmiEvent } from '../render/ami-event';

/**
 * The PBX of the recorded fixtures (fixtures/asterisk-22): queue `support` (linear, member timeout 5 s)
 * with Agent 101 and Agent 102, queue `sales` with Agent 103, no generated traffic.
 */
export function fixturePbx(
  options: {
    seed?: number;
    startTime?: number;
    support?: Partial<QueueConfig>;
    sales?: Partial<QueueConfig>;
  } = {},
): Engine {
  return createEngine({
    seed: options.seed ?? 1,
    startTime: options.startTime,
    callsPerHour: 0,
    profile: { internalCallsPerHour: 0, outboundCallsPerHour: 0, pausesPerAgentHour: 0 },
    queues: [
      defaultQueue('support', { timeoutSec: 60, ...options.support }),
      defaultQueue('sales', { timeoutSec: 60, ...options.sales }),
    ],
    agentConfigs: [
      { ext: '101', name: 'Agent 101', queues: ['support'], penalty: 0 },
      { ext: '102', name: 'Agent 102', queues: ['support'], penalty: 0 },
      { ext: '103', name: 'Agent 103', queues: ['sales'], penalty: 0 },
    ],
  });
}

/** Runs one inbound call on an engine to its end; returns the events it produced. */
export function runCall(engine: Engine, plan: FixedPlan, before?: () => void): AmiEvent[] {
  const events: AmiEvent[] = [];
  const off = engine.pbx.onEvent((event) => events.push(event));
  before?.();
  engine.traffic.inbound(fixedInboundPlan(plan));
  engine.clock.runUntil();
  off();
  return events;
}

/** The fixtures' answered call: Agent 101 answers after 1 s, talks 5 s and hangs up. */
export function answeredScenario(engine: Engine = fixturePbx()): AmiEvent[] {
  return runCall(engine, { rings: [{ answer: true, ringSec: 1 }], talkSec: 5, endedBy: 'agent' });
}

/** The fixtures' abandoned call: both support agents paused for lunch, the caller gives up after 8 s. */
export function abandonedScenario(engine: Engine = fixturePbx()): AmiEvent[] {
  return runCall(engine, { patienceSec: 8 }, () => {
    engine.pbx.pause('Local/101@agents/n', true, 'lunch', 'support');
    engine.pbx.pause('Local/102@agents/n', true, 'lunch', 'support');
  });
}
