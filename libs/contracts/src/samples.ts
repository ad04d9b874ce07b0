import type { TopicName } from './topics';
import type { EventDataOf, EventTypeOf } from './registry';

type Samples = { [T in TopicName]: { [E in EventTypeOf<T>]: EventDataOf<T, E> } };

const callId = '1764064800.101';
const connectionId = 'pbx-main';
const commandId = '0196b8a0-5c1e-7d3a-9f00-8a1b2c3d4e5f';
const expiresAt = '2026-11-25T10:00:30.000Z';

/**
 * One valid `data` sample per event type. Used by the contract tests, by libs/testing factories and as
 * documentation of what each event looks like.
 */
export const EVENT_SAMPLES: Samples = {
  'telephony.calls.v1': {
    'call.started': {
      callId,
      connectionId,
      direction: 'inbound',
      callerNumber: '+74951234567',
      callerName: 'Иван Петров',
      calleeNumber: '+74957654321',
      did: '+74957654321',
    },
    'call.queued': { callId, connectionId, queue: 'support', position: 1 },
    'call.offered': {
      callId,
      connectionId,
      queue: 'support',
      agentInterface: 'SIP/101',
      agentUserId: 'u-op1',
      screenPop: { customer: 'Иван Петров', contract: 'A-1001', vip: true },
    },
    'call.ring-no-answer': {
      callId,
      connectionId,
      queue: 'support',
      agentInterface: 'SIP/102',
      agentUserId: null,
      ringSeconds: 15,
    },
    'call.answered': {
      callId,
      connectionId,
      queue: 'support',
      agentInterface: 'SIP/101',
      agentUserId: 'u-op1',
      waitSeconds: 12.5,
    },
    'call.held': { callId, connectionId, agentInterface: 'SIP/101' },
    'call.resumed': { callId, connectionId, agentInterface: 'SIP/101' },
    'call.transferred': { callId, connectionId, kind: 'blind', fromInterface: 'SIP/101', target: '102' },
    'call.left-queue': {
      callId,
      connectionId,
      queue: 'support',
      outcome: 'abandoned',
      waitSeconds: 41,
      position: 2,
    },
    'call.ended': { callId, connectionId, cause: 16, causeText: 'Normal Clearing', durationSeconds: 185 },
  },
  'telephony.agents.v1': {
    'member.status': {
      connectionId,
      interface: 'SIP/101',
      memberName: 'Operator 1',
      queue: 'support',
      status: 'not-in-use',
      paused: false,
      inCall: false,
    },
    'member.paused': {
      connectionId,
      interface: 'SIP/101',
      memberName: 'Operator 1',
      queue: null,
      paused: true,
      reason: 'lunch',
    },
    'member.added': {
      connectionId,
      interface: 'SIP/101',
      memberName: 'Operator 1',
      queue: 'sales',
      membership: 'dynamic',
      penalty: 0,
    },
    'member.removed': { connectionId, interface: 'SIP/101', memberName: null, queue: 'sales' },
  },
  'pbx.commands.v1': {
    originate: {
      commandId,
      expiresAt,
      requestedBy: 'u-op1',
      from: 'SIP/101',
      to: '+74951234567',
      callerId: null,
    },
    hangup: { commandId, expiresAt, requestedBy: 'u-op1', callId, channel: null },
    hold: { commandId, expiresAt, requestedBy: 'u-op1', callId, agentInterface: 'SIP/101' },
    unhold: { commandId, expiresAt, requestedBy: 'u-op1', callId, agentInterface: 'SIP/101' },
    transfer: {
      commandId,
      expiresAt,
      requestedBy: 'u-op1',
      callId,
      agentInterface: 'SIP/101',
      kind: 'attended',
      target: '102',
    },
    'queue-pause': {
      commandId,
      expiresAt,
      requestedBy: 'u-op1',
      interface: 'SIP/101',
      queue: null,
      paused: true,
      reason: 'lunch',
    },
    'queue-add': {
      commandId,
      expiresAt,
      requestedBy: 'u-sup',
      interface: 'SIP/101',
      queue: 'sales',
      memberName: 'Operator 1',
      penalty: 0,
    },
    'queue-remove': { commandId, expiresAt, requestedBy: 'u-sup', interface: 'SIP/101', queue: 'sales' },
    'mode-set': {
      commandId,
      expiresAt,
      requestedBy: 'u-sup',
      mode: 'night',
      until: '2026-11-26T06:00:00.000Z',
    },
  },
  'pbx.command-results.v1': {
    'command.succeeded': { commandId, command: 'originate', pbxMessage: 'Originate successfully queued' },
    'command.failed': { commandId, command: 'hangup', code: 'PBX_ERROR', reason: 'No such channel' },
  },
  'pbx.modes.v1': {
    'mode.changed': {
      connectionId,
      mode: 'night',
      previousMode: 'day',
      source: 'manual',
      changedBy: 'u-sup',
      until: null,
    },
  },
  'identity.users.v1': {
    'user.created': {
      userId: 'u-op1',
      login: 'op1',
      name: 'Оператор 1',
      roles: ['operator'],
      active: true,
      extension: '101',
      pbxInterface: 'SIP/101',
      queues: ['support', 'sales'],
    },
    'user.updated': {
      userId: 'u-op1',
      login: 'op1',
      name: 'Оператор 1',
      roles: ['operator', 'supervisor'],
      active: true,
      extension: '101',
      pbxInterface: 'SIP/101',
      queues: ['support'],
    },
    'user.deactivated': { userId: 'u-op1' },
    'tenant.created': { name: 'Demo Clinic', locale: 'ru', active: true, corsOrigins: [] },
    'tenant.updated': {
      name: 'Demo Clinic',
      locale: 'ru',
      active: true,
      corsOrigins: ['https://crm.demo-clinic.example'],
    },
  },
  'focus.agent-states.v1': {
    'agent.session-started': { agentId: 'u-op1', sessionId: 's-1', pbxInterface: 'SIP/101' },
    'agent.state-changed': {
      agentId: 'u-op1',
      sessionId: 's-1',
      state: 'not-ready',
      previousState: 'ready',
      reason: 'lunch',
      forcedBy: null,
    },
    'agent.session-ended': { agentId: 'u-op1', sessionId: 's-1', reason: 'logout' },
  },
  'focus.dispositions.v1': {
    'call.wrapped-up': {
      callId,
      agentId: 'u-op1',
      topicId: 't-billing',
      outcomeCode: 'resolved',
      notes: 'Объяснил счёт',
      wrapUpSeconds: 22,
    },
  },
  'helper.topics.v1': {
    'topic.upserted': { topicId: 't-billing', name: 'Оплата', parentId: null, active: true, version: 3 },
    'topic.deleted': { topicId: 't-billing' },
  },
  'helper.suggestions.v1': {
    'call.topic-suggested': {
      callId,
      topicId: 't-billing',
      articleIds: ['a-1'],
      scriptIds: ['s-1'],
      confidence: 0.8,
    },
  },
};
