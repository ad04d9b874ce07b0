import type { z } from 'zod';
import * as calls from './events/telephony-calls';
import * as agents from './events/telephony-agents';
import * as pbx from './events/pbx';
import * as identity from './events/identity';
import * as focus from './events/focus';
import * as helper from './events/helper';
import type { TopicName } from './topics';

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  /** Schema version of `data`; the envelope's `version` must equal it. */
  readonly version: number;
  readonly schema: S;
}

const v1 = <S extends z.ZodType>(schema: S): EventDefinition<S> => ({ version: 1, schema });

/**
 * Every event type of every topic, with the schema of its `data`. This is the single source of truth:
 * producers validate against it before the outbox row is written, consumers validate on receipt.
 */
export const EVENT_REGISTRY = {
  'telephony.calls.v1': {
    'call.started': v1(calls.callStartedSchema),
    'call.queued': v1(calls.callQueuedSchema),
    'call.offered': v1(calls.callOfferedSchema),
    'call.ring-no-answer': v1(calls.callRingNoAnswerSchema),
    'call.answered': v1(calls.callAnsweredSchema),
    'call.held': v1(calls.callHeldSchema),
    'call.resumed': v1(calls.callResumedSchema),
    'call.transferred': v1(calls.callTransferredSchema),
    'call.left-queue': v1(calls.callLeftQueueSchema),
    'call.ended': v1(calls.callEndedSchema),
  },
  'telephony.agents.v1': {
    'member.status': v1(agents.memberStatusSchema),
    'member.paused': v1(agents.memberPausedSchema),
    'member.added': v1(agents.memberAddedSchema),
    'member.removed': v1(agents.memberRemovedSchema),
  },
  'pbx.commands.v1': {
    originate: v1(pbx.originateCommandSchema),
    hangup: v1(pbx.hangupCommandSchema),
    hold: v1(pbx.holdCommandSchema),
    unhold: v1(pbx.unholdCommandSchema),
    transfer: v1(pbx.transferCommandSchema),
    'queue-pause': v1(pbx.queuePauseCommandSchema),
    'queue-add': v1(pbx.queueAddCommandSchema),
    'queue-remove': v1(pbx.queueRemoveCommandSchema),
    'mode-set': v1(pbx.modeSetCommandSchema),
  },
  'pbx.command-results.v1': {
    'command.succeeded': v1(pbx.commandSucceededSchema),
    'command.failed': v1(pbx.commandFailedSchema),
  },
  'pbx.modes.v1': {
    'mode.changed': v1(pbx.modeChangedSchema),
  },
  'identity.users.v1': {
    'user.created': v1(identity.userCreatedSchema),
    'user.updated': v1(identity.userUpdatedSchema),
    'user.deactivated': v1(identity.userDeactivatedSchema),
    'tenant.created': v1(identity.tenantCreatedSchema),
    'tenant.updated': v1(identity.tenantUpdatedSchema),
  },
  'focus.agent-states.v1': {
    'agent.session-started': v1(focus.agentSessionStartedSchema),
    'agent.state-changed': v1(focus.agentStateChangedSchema),
    'agent.session-ended': v1(focus.agentSessionEndedSchema),
  },
  'focus.dispositions.v1': {
    'call.wrapped-up': v1(focus.callWrappedUpSchema),
  },
  'helper.topics.v1': {
    'topic.upserted': v1(helper.topicUpsertedSchema),
    'topic.deleted': v1(helper.topicDeletedSchema),
  },
  'helper.suggestions.v1': {
    'call.topic-suggested': v1(helper.callTopicSuggestedSchema),
  },
} as const satisfies Record<TopicName, Record<string, EventDefinition>>;

export type EventRegistry = typeof EVENT_REGISTRY;
/** The event types carried by a topic, e.g. `EventTypeOf<'telephony.calls.v1'>` = `'call.started' | …`. */
export type EventTypeOf<T extends TopicName> = keyof EventRegistry[T] & string;
/** The `data` of one event type of one topic. */
export type EventDataOf<T extends TopicName, E extends EventTypeOf<T>> =
  EventRegistry[T][E] extends EventDefinition<infer S> ? z.infer<S> : never;

export function eventDefinition(topic: string, type: string): EventDefinition | undefined {
  const events = (EVENT_REGISTRY as Record<string, Record<string, EventDefinition> | undefined>)[topic];
  return events?.[type];
}

/** Which topic carries an event type. Types are unique per topic, not globally: ask with the topic when you can. */
export function topicsOfEventType(type: string): TopicName[] {
  return (Object.keys(EVENT_REGISTRY) as TopicName[]).filter((t) => eventDefinition(t, type) !== undefined);
}
