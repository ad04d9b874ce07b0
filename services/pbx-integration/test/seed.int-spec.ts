import { APP_CONFIG } from '@okc/runtime';
import type { PbxIntegrationConfig } from '../src/config';
import { ConnectionsService } from '../src/connections/connections.service';
import { PbxConnection } from '../src/connections/pbx-connection.entity';
import { DEV_PBX, seedPbxConnections } from '../src/seed/dev-seed';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

/** The development seed: each seeded tenant points at its simulated PBX, idempotently. */
describe('pbx-integration: development seed', () => {
  let h: PbxHarness;
  beforeAll(async () => (h = await startPbxHarness()));
  afterAll(async () => h?.close());

  it('creates one connection per seeded tenant, keeps it on a second run, and restores a changed one', async () => {
    const secretKey = h.app.get<PbxIntegrationConfig>(APP_CONFIG).PBX_SECRET_KEY;
    const first = await seedPbxConnections(h.db, secretKey, { demo: 6038, acme: 6039 });
    expect(first.map((r) => [r.tenant, r.target, r.status])).toEqual([
      ['demo', '127.0.0.1:6038', 'created'],
      ['acme', '127.0.0.1:6039', 'created'],
    ]);
    expect(
      (await seedPbxConnections(h.db, secretKey, { demo: 6038, acme: 6039 })).map((r) => r.status),
    ).toEqual(['kept', 'kept']);
    await h.db.getRepository(PbxConnection).update({ tenantId: 'acme' }, { enabled: false });
    expect(
      (await seedPbxConnections(h.db, secretKey, { demo: 6038, acme: 6039 })).map((r) => r.status),
    ).toEqual(['kept', 'updated']);
    // The service opens the sealed secret: the simulator's login.
    const demo = await h.db.getRepository(PbxConnection).findOneByOrFail({ tenantId: 'demo' });
    expect(h.app.get(ConnectionsService).credentials(demo)).toEqual({
      username: DEV_PBX.username,
      secret: DEV_PBX.secret,
    });
    expect(await h.db.getRepository(PbxConnection).count()).toBe(2);
  });
});
