import { parseBody, ValidationFailedError } from '@okc/runtime';
import type { AuditEntry } from './audit-entry.entity';
import { auditQuerySchema, toAuditEntryDto } from './audit.dto';

function fields(body: unknown): string[] {
  try {
    parseBody(auditQuerySchema, body);
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.violations.map((v) => v.field);
    throw error;
  }
  return [];
}

describe('auditQuerySchema', () => {
  it('defaults the limit', () => {
    expect(parseBody(auditQuerySchema, {})).toEqual({ limit: 50 });
  });

  it('parses every filter', () => {
    expect(
      parseBody(auditQuerySchema, {
        userId: '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d',
        type: 'sign-in.failed',
        from: '2025-11-27T00:00:00Z',
        to: '2025-11-28T03:00:00+03:00',
        limit: '10',
        before: '1042',
      }),
    ).toEqual({
      userId: '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d',
      type: 'sign-in.failed',
      from: new Date('2025-11-27T00:00:00.000Z'),
      to: new Date('2025-11-28T00:00:00.000Z'),
      limit: 10,
      before: '1042',
    });
  });

  it.each([
    ['type', { type: 'user.deleted' }],
    ['from', { from: '27.11.2025' }],
    ['from', { from: '2025-11-27' }],
    ['to', { from: '2025-11-28T00:00:00Z', to: '2025-11-27T00:00:00Z' }],
    ['limit', { limit: '500' }],
    ['before', { before: 'abc' }],
    ['userId', { userId: 'a b' }],
    ['cursor', { cursor: '1' }],
  ])('names %s when it is bad: %j', (field, query) => {
    expect(fields(query)).toEqual([field]);
  });
});

describe('toAuditEntryDto', () => {
  const entry: AuditEntry = {
    id: '7',
    tenantId: 'demo',
    occurredAt: new Date('2025-11-27T09:00:00.000Z'),
    type: 'user.updated',
    actorType: 'user',
    actorId: 'u-admin',
    actorLabel: 'admin@demo',
    subjectType: 'user',
    subjectId: 'u-op1',
    clientId: null,
    ip: '10.0.0.1',
    userAgent: 'curl',
    reason: null,
    beforeState: '{"name":"A"}',
    afterState: '{"name":"B"}',
    requestId: 'r-1',
  };

  it('nests actor and subject and parses the states', () => {
    expect(toAuditEntryDto(entry)).toEqual({
      id: '7',
      occurredAt: '2025-11-27T09:00:00.000Z',
      type: 'user.updated',
      actor: { type: 'user', id: 'u-admin', label: 'admin@demo' },
      subject: { type: 'user', id: 'u-op1' },
      clientId: null,
      ip: '10.0.0.1',
      userAgent: 'curl',
      reason: null,
      before: { name: 'A' },
      after: { name: 'B' },
      requestId: 'r-1',
    });
  });

  it('has no subject or states for a sign-in, and survives a non-JSON state', () => {
    const dto = toAuditEntryDto({
      ...entry,
      id: 8 as unknown as string, // mysql2 hands small BIGINTs over as numbers
      subjectType: null,
      subjectId: null,
      beforeState: null,
      afterState: 'not json',
    });
    expect(dto).toMatchObject({ id: '8', subject: null, before: null, after: 'not json' });
  });
});
