export {
  createNormalizer,
  DEFAULT_CALL_IDLE_TIMEOUT_MS,
  DEFAULT_END_GRACE_MS,
  DEFAULT_ENDED_CALL_MEMORY,
  type Normalizer,
  type NormalizerOptions,
} from './normalizer';
export {
  compileDirectionRules,
  directionOf,
  emptyEvidence,
  type CallDirection,
  type DirectionClassifier,
  type DirectionEvidence,
  type DirectionRules,
} from './direction';
export type {
  AgentFact,
  AgentFactType,
  AgentsTopic,
  CallFact,
  CallFactType,
  CallsTopic,
  CanonicalFact,
  FactTopic,
} from './facts';
