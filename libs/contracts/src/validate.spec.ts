import { z } from 'zod';
import { EVENT_REGISTRY, type EventDefinition } from './registry';
import { EVENT_SAMPLES } from './samples';
import { createEvent } from './envelope/create-event';
import { TOPICS, TOPIC_SPECS, allTopicNames, type TopicName } from './topics';
import { formatErrors, validate } from './validate';

const topicNames = Object.keys(EVENT_REGISTRY) as TopicName[];

function envelopeFor(topic: TopicName, type: string, data: unknown) {
  return {
    ...createEvent(topic, { type: type as never, tenantId: 'demo', source: 'pbx-integration', data }),
  };
}

const cases = topicNames.flatMap((topic) =>
  Object.keys(EVENT_REGISTRY[topic]).map((type) => {
    const samples = EVENT_SAMPLES[topic] as Record<string, Record<string, unknown>>;
    return { topic, type, sample: samples[type]! };
  }),
);

describe('contracts: every event schema', () => {
  it('has a sample for every registered event type, and nothing else', () => {
    for (const topic of topicNames) {
      expect(Object.keys(EVENT_SAMPLES[topic]).sort()).toEqual(Object.keys(EVENT_REGISTRY[topic]).sort());
    }
  });

  it.each(cases)('$topic $type accepts its valid sample', ({ topic, type, sample }) => {
    const result = validate(topic, envelopeFor(topic, type, sample));
    if (!result.ok) throw new Error(formatErrors(result.errors));
    expect(result.event.type).toBe(type);
    expect(result.event.data).toEqual(sample);
  });

  const fieldCases = cases.flatMap(({ topic, type, sample }) =>
    Object.keys(sample).map((field) => ({ topic, type, sample, field })),
  );
  /** A field added to a v1 event after it shipped has a default (older events lack it); the rest are required. */
  const defaulted = ({ topic, type, field }: { topic: TopicName; type: string; field: string }) => {
    const definitions = EVENT_REGISTRY[topic] as Record<string, EventDefinition>;
    const shape = (definitions[type]!.schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
    return shape?.[field] instanceof z.ZodDefault;
  };

  it.each(fieldCases.filter((c) => defaulted(c)))(
    '$topic $type fills a missing "$field" with its default (events from before it existed)',
    ({ topic, type, sample, field }) => {
      const older: Record<string, unknown> = { ...sample };
      delete older[field];
      const result = validate(topic, envelopeFor(topic, type, older));
      if (!result.ok) throw new Error(formatErrors(result.errors));
      expect((result.event.data as Record<string, unknown>)[field]).toBeDefined();
    },
  );

  it.each(fieldCases.filter((c) => !defaulted(c)))(
    '$topic $type rejects a missing "$field" and names it',
    ({ topic, type, sample, field }) => {
      const broken: Record<string, unknown> = { ...sample };
      delete broken[field];
      const result = validate(topic, envelopeFor(topic, type, broken));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => e.field)).toContain(`data.${field}`);
    },
  );

  it.each(fieldCases)(
    '$topic $type rejects a wrongly typed "$field" and names it',
    ({ topic, type, sample, field }) => {
      // A nested object is the wrong type for every field of every schema here (records accept objects,
      // so for them use a string instead).
      const wrong =
        typeof sample[field] === 'object' && sample[field] !== null && !Array.isArray(sample[field])
          ? 'x'
          : { bad: true };
      const result = validate(topic, envelopeFor(topic, type, { ...sample, [field]: wrong }));
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(
          result.errors.some((e) => e.field === `data.${field}` || e.field.startsWith(`data.${field}.`)),
        ).toBe(true);
    },
  );
});

describe('contracts: the envelope', () => {
  const good = () =>
    envelopeFor(TOPICS.telephonyCalls, 'call.queued', EVENT_SAMPLES['telephony.calls.v1']['call.queued']);

  it('gives every new event a UUIDv7 id and a millisecond UTC timestamp', () => {
    const e = good();
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(e.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(validate(TOPICS.telephonyCalls, e).ok).toBe(true);
  });

  it.each([
    ['id', { id: '6f1c2b1e-3b7a-4c1d-9e2f-1a2b3c4d5e6f' }], // a v4 id is not an idempotency key we accept
    ['occurredAt', { occurredAt: '2026-11-25T10:00:00Z' }], // no milliseconds
    ['occurredAt', { occurredAt: '2026-11-25T13:00:00.000+03:00' }], // not UTC
    ['tenantId', { tenantId: 'Demo Tenant' }],
    ['source', { source: 'billing' }],
    ['version', { version: 0 }],
  ])('rejects a bad %s and names it', (field, patch) => {
    const result = validate(TOPICS.telephonyCalls, { ...good(), ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toContain(field);
  });

  it('rejects an event type that belongs to another topic', () => {
    const result = validate(TOPICS.telephonyAgents, good());
    expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'type' })] });
  });

  it('rejects a version other than the registered one', () => {
    const result = validate(TOPICS.telephonyCalls, { ...good(), version: 2 });
    expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'version' })] });
  });

  it('rejects a non-object and names the root', () => {
    const result = validate(TOPICS.telephonyCalls, 'not json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.field).toBe('(root)');
  });

  it('drops unknown data fields instead of failing (additive changes stay compatible)', () => {
    const sample = EVENT_SAMPLES['telephony.calls.v1']['call.queued'];
    const result = validate(
      TOPICS.telephonyCalls,
      envelopeFor(TOPICS.telephonyCalls, 'call.queued', { ...sample, future: 1 }),
    );
    expect(result.ok && result.event.data).toEqual(sample);
  });
});

describe('contracts: topics', () => {
  it('registers every topic with a spec, a DLQ twin and telephony.calls with at least 6 partitions', () => {
    expect(Object.keys(TOPIC_SPECS).sort()).toEqual(topicNames.slice().sort());
    expect(allTopicNames()).toHaveLength(topicNames.length * 2);
    expect(allTopicNames()).toContain('telephony.calls.v1.dlq');
    expect(TOPIC_SPECS['telephony.calls.v1'].partitions).toBeGreaterThanOrEqual(6);
  });
});
