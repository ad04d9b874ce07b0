import { ModesService } from '../src/modes/modes.service';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

interface ModesReply {
  settings: { modes: { name: string }[]; defaultMode: string };
  current: { mode: string; source: string; override: { mode: string; until: string | null } | null };
  details?: { field: string }[];
}

/** Operating modes on the real service and database: settings, manual switches, expiry, events, audit. */
describe('pbx-integration: operating modes', () => {
  let h: PbxHarness;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    h = await startPbxHarness();
    const mint = (sub: string, tenant: string, role: string) =>
      h.issuer.mint({ sub, tenant, roles: [role], preferredUsername: sub });
    tokens.admin = await mint('boss', 'acme', 'admin');
    tokens.supervisor = await mint('sue', 'acme', 'supervisor');
    tokens.operator = await mint('olga', 'acme', 'operator');
    tokens.globex = await mint('gus', 'globex', 'admin');
  });
  afterAll(async () => h?.close());

  async function call(method: string, path: string, token?: string, body?: unknown) {
    const res = await fetch(`${h.url}/api/v1/pbx/modes${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as ModesReply };
  }

  /** The `mode.changed` events of a tenant in the outbox, oldest first. */
  async function modeEvents(
    tenant: string,
  ): Promise<{ mode: string; previousMode: string | null; source: string }[]> {
    const rows = await h.db.query<{ payload: string }[]>(
      "SELECT payload FROM outbox WHERE tenant_id = ? AND event_type = 'mode.changed' ORDER BY id",
      [tenant],
    );
    return rows.map(
      (r) =>
        (JSON.parse(r.payload) as { data: { mode: string; previousMode: string | null; source: string } })
          .data,
    );
  }

  const settings = {
    timezone: 'Europe/Moscow',
    defaultMode: 'night',
    modes: [
      { name: 'day', daynight: [{ index: 0, value: 'DAY' }] },
      { name: 'night', daynight: [{ index: 0, value: 'NIGHT' }] },
      {
        name: 'holiday',
        daynight: [
          { index: 0, value: 'NIGHT' },
          { index: 1, value: 'NIGHT' },
        ],
      },
    ],
    // Every day, all day: "day" (so the test does not depend on the hour it runs at).
    schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '23:59', mode: 'day' }],
    holidays: [{ date: '2027-01-01', mode: 'holiday', name: 'New Year' }],
  };

  it('shows a tenant nobody configured in the default day mode, to anyone signed in', async () => {
    const res = await call('GET', '', tokens.operator);
    expect(res.status).toBe(200);
    expect(res.body.settings.modes.map((m) => m.name)).toEqual(['day', 'night']);
    expect(res.body.current).toMatchObject({ mode: 'day', source: 'schedule', override: null });
    expect((await call('GET', '')).status).toBe(401);
  });

  it('lets an admin replace the settings, and names each bad field', async () => {
    expect((await call('PUT', '', tokens.supervisor, settings)).status).toBe(403);
    const saved = await call('PUT', '', tokens.admin, settings);
    expect(saved.status).toBe(200);
    expect(saved.body.settings.defaultMode).toBe('night');
    const bad: [unknown, string][] = [
      [{ ...settings, timezone: 'Mars/Olympus' }, 'timezone'],
      [{ ...settings, defaultMode: 'evening' }, 'defaultMode'],
      [
        { ...settings, schedule: [{ days: [1], from: '09:00', to: '18:00', mode: 'lunch' }] },
        'schedule.0.mode',
      ],
      [
        { ...settings, schedule: [{ days: [8], from: '09:00', to: '18:00', mode: 'day' }] },
        'schedule.0.days.0',
      ],
      [
        { ...settings, schedule: [{ days: [1], from: '25:00', to: '18:00', mode: 'day' }] },
        'schedule.0.from',
      ],
      [
        { ...settings, holidays: [...settings.holidays, { date: '2027-01-01', mode: 'day', name: 'x' }] },
        'holidays.1.date',
      ],
      [{ ...settings, holidays: [{ date: '2027-02-30', mode: 'day', name: 'x' }] }, 'holidays.0.date'],
      [
        { ...settings, modes: [...settings.modes, { name: 'day', daynight: [{ index: 0, value: 'DAY' }] }] },
        'modes.3.name',
      ],
      [
        {
          ...settings,
          modes: [{ name: 'x', daynight: [{ index: 12, value: 'DAY' }] }],
          defaultMode: 'x',
          schedule: [],
          holidays: [],
        },
        'modes.0.daynight.0.index',
      ],
    ];
    for (const [body, field] of bad) {
      const res = await call('PUT', '', tokens.admin, body);
      expect(res.status).toBe(400);
      expect(res.body.details?.map((d) => d.field)).toContain(field);
    }
  });

  it('lets a supervisor switch by hand: the mode changes once, with its event and audit', async () => {
    const before = (await modeEvents('acme')).length;
    const until = new Date(Date.now() + 3600_000).toISOString();
    const res = await call('PUT', '/override', tokens.supervisor, { mode: 'night', until });
    expect(res.status).toBe(200);
    expect(res.body.current).toMatchObject({
      mode: 'night',
      source: 'manual',
      override: { mode: 'night', until },
    });
    const events = await modeEvents('acme');
    expect(events.slice(before)).toEqual([
      expect.objectContaining({ mode: 'night', previousMode: 'day', source: 'manual' }),
    ]);
    // The same switch again changes nothing and emits nothing.
    await call('PUT', '/override', tokens.supervisor, { mode: 'night', until });
    expect((await modeEvents('acme')).length).toBe(events.length);
    const audit = (await (
      await fetch(`${h.url}/api/v1/pbx/modes/audit`, { headers: { authorization: `Bearer ${tokens.admin}` } })
    ).json()) as { items: { actor: string; action: string }[] };
    expect(audit.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'sue@acme', action: 'override.set' }),
        expect.objectContaining({ actor: 'sue@acme', action: 'mode.switched' }),
        expect.objectContaining({ actor: 'boss@acme', action: 'settings.updated' }),
      ]),
    );
    // Operators may look, not switch; an unknown mode and a past end are named.
    expect((await call('PUT', '/override', tokens.operator, { mode: 'day' })).status).toBe(403);
    const unknown = await call('PUT', '/override', tokens.supervisor, { mode: 'lunch' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details?.map((d) => d.field)).toEqual(['mode']);
    const past = await call('PUT', '/override', tokens.supervisor, {
      mode: 'day',
      until: '2020-01-01T00:00:00Z',
    });
    expect(past.body.details?.map((d) => d.field)).toEqual(['until']);
  });

  it('keeps tenants apart: another tenant sees neither the settings nor the switch', async () => {
    const other = await call('GET', '', tokens.globex);
    expect(other.body.current).toMatchObject({ mode: 'day', override: null });
    expect(other.body.settings.defaultMode).toBe('day');
    expect(await modeEvents('globex')).toEqual([]);
    // The allowed control: acme still sees its own switch.
    expect((await call('GET', '', tokens.admin)).body.current.mode).toBe('night');
  });

  it('ends an expired switch by itself, once, as override-expired', async () => {
    const modes = h.app.get(ModesService);
    const later = new Date(Date.now() + 2 * 3600_000);
    const before = (await modeEvents('acme')).length;
    expect(await modes.reconcile('acme', later)).toBe(true);
    expect(await modes.reconcile('acme', later)).toBe(false);
    const events = (await modeEvents('acme')).slice(before);
    expect(events).toEqual([
      expect.objectContaining({ mode: 'day', previousMode: 'night', source: 'override-expired' }),
    ]);
  });

  it('ends a switch on request: the schedule decides again', async () => {
    await call('PUT', '/override', tokens.supervisor, { mode: 'holiday', until: null });
    expect((await call('GET', '', tokens.admin)).body.current).toMatchObject({
      mode: 'holiday',
      source: 'manual',
    });
    const cleared = await call('DELETE', '/override', tokens.supervisor);
    expect(cleared.status).toBe(200);
    expect(cleared.body.current).toMatchObject({ mode: 'day', override: null });
  });
});
