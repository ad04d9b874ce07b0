export { startSimulator, startSimulators, type SimulatorHandle, type SimulatorOptions } from './simulator';
export {
  createEngine,
  runToCompletion,
  renderAll,
  DEFAULT_START_TIME,
  type Engine,
  type EngineOptions,
} from './engine/engine';
export {
  defaultLayout,
  defaultQueue,
  type AgentConfig,
  type QueueConfig,
  type QueueStrategy,
} from './engine/config';
export { fixedInboundPlan, type InboundPlan, type RingDecision } from './engine/plans';
export { defaultProfile, type TrafficProfile } from './traffic/profile';
export type { LedgerCall, QueueSegment, CallOutcome, QueueOutcome, Transfer } from './ledger/ledger';
export { parseQueueLogLine, type QueueLogLine } from './ledger/queue-log';
export { renderEvent, formatTimestamp, type AmiEvent, type EventClass } from './render/ami-event';
export { BANNER, type AmiUser } from './server/ami-server';
