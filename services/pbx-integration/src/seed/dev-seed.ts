import { randomUUID } from 'node:crypto';
import { forTenant } from '@okc/persistence';
import type { DataSource } from 'typeorm';
import { PbxConnection } from '../connections/pbx-connection.entity';
import { SecretBox } from '../connections/secret-box';

/** The simulated PBX of each seeded customer tenant (`npm start` runs tools/pbx-simulator on these ports). */
export const DEV_PBXES = [
  { tenant: 'demo', port: 5038 },
  { tenant: 'acme', port: 5039 },
] as const;

/** What the simulator accepts (its defaults) and how its calls look (trunks, contexts). */
export const DEV_PBX = {
  name: 'PBX simulator',
  host: '127.0.0.1',
  username: 'okc',
  secret: 'okc',
  directionRules: {
    trunkChannelPatterns: ['PJSIP/trunk-*'],
    inboundContexts: ['from-trunk'],
    outboundContexts: ['from-internal'],
  },
} as const;

export interface PbxSeedRow {
  tenant: string;
  connection: string;
  target: string;
  status: 'created' | 'kept' | 'updated';
}

/**
 * Points each seeded tenant at its simulated PBX: one connection per tenant, found by name, created or
 * brought back to the development values (idempotent: `npm start` runs it every time).
 */
export async function seedPbxConnections(
  dataSource: DataSource,
  secretKey: string,
  ports: Readonly<Record<string, number>> = {},
): Promise<PbxSeedRow[]> {
  const box = new SecretBox(secretKey);
  const rows: PbxSeedRow[] = [];
  for (const { tenant, port: defaultPort } of DEV_PBXES) {
    const port = ports[tenant] ?? defaultPort;
    const repo = forTenant(dataSource.getRepository(PbxConnection), tenant);
    const existing = await repo.findOneBy({ name: DEV_PBX.name });
    const now = new Date();
    const target = `${DEV_PBX.host}:${port}`;
    if (existing && existing.host === DEV_PBX.host && existing.port === port && existing.enabled) {
      rows.push({ tenant, connection: existing.id, target, status: 'kept' });
      continue;
    }
    const id = existing?.id ?? randomUUID();
    await repo.save(
      repo.create({
        id,
        name: DEV_PBX.name,
        type: 'asterisk-ami',
        host: DEV_PBX.host,
        port,
        username: DEV_PBX.username,
        secretSealed: box.seal(DEV_PBX.secret, `${tenant}:${id}`),
        directionRules: {
          trunkChannelPatterns: [...DEV_PBX.directionRules.trunkChannelPatterns],
          inboundContexts: [...DEV_PBX.directionRules.inboundContexts],
          outboundContexts: [...DEV_PBX.directionRules.outboundContexts],
        },
        queueLogPath: existing?.queueLogPath ?? null,
        enabled: true,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      }),
    );
    rows.push({ tenant, connection: id, target, status: existing ? 'updated' : 'created' });
  }
  return rows;
}
