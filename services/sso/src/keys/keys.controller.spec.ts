import type { AdminCaller } from '../admin/admin-http';
import type { AuditRecord, AuditService } from '../audit/audit.service';
import type { OidcHostService } from '../oidc/oidc-host.service';
import { KeysController, toKeyDto } from './keys.controller';
import type { KeyInfo, SigningKeysService } from './signing-keys.service';

const caller: AdminCaller = {
  subject: 'u-root',
  actor: { type: 'user', id: 'u-root', label: 'admin@platform' },
  origin: { ip: '10.0.0.1', userAgent: 'jest', requestId: 'r-1' },
};

describe('KeysController', () => {
  const key: KeyInfo = {
    kid: 'k1',
    alg: 'RS256',
    state: 'retired',
    createdAt: new Date('2025-11-01T00:00:00.000Z'),
    activatedAt: new Date('2025-11-01T00:00:00.000Z'),
    retiredAt: new Date('2025-11-27T00:00:00.000Z'),
    expiresAt: null,
  };

  it('lists kid, alg, state and dates only', () => {
    expect(toKeyDto({ ...key, privateJwk: 'secret-material' } as KeyInfo)).toEqual({
      kid: 'k1',
      alg: 'RS256',
      state: 'retired',
      createdAt: '2025-11-01T00:00:00.000Z',
      activatedAt: '2025-11-01T00:00:00.000Z',
      retiredAt: '2025-11-27T00:00:00.000Z',
      expiresAt: null,
    });
  });

  it('rotates, audits keys.rotated, then rebuilds this instance’s provider so it signs with the new key', async () => {
    const calls: string[] = [];
    const audits: AuditRecord[] = [];
    const keys = {
      rotate: (reason: string) => {
        calls.push(`rotate ${reason}`);
        return Promise.resolve({ current: 'k2', retired: 'k1', next: 'k3' });
      },
    } as unknown as SigningKeysService;
    const host = {
      reload: () => {
        calls.push('reload');
        return Promise.resolve();
      },
    } as unknown as OidcHostService;
    const audit = {
      record: (entry: AuditRecord) => {
        calls.push('audit');
        audits.push(entry);
        return Promise.resolve();
      },
    } as unknown as AuditService;

    const result = await new KeysController(keys, host, audit).rotate('platform', caller);

    expect(result).toEqual({ current: 'k2', retired: 'k1', next: 'k3' });
    expect(calls).toEqual(['rotate admin: admin@platform', 'audit', 'reload']);
    expect(audits).toEqual([
      expect.objectContaining({
        tenantId: 'platform',
        type: 'keys.rotated',
        actor: caller.actor,
        before: { current: 'k1' },
        after: { current: 'k2', next: 'k3' },
      }),
    ]);
  });
});
