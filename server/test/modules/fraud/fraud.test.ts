import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findDrift } from '../../../src/modules/ledger/ledger.service.js';
import { campaign, createTeam, errorCode, login, share, testApp, unique, type TestContext } from '../../helper.js';

const ADMIN_KEY = 'test-admin-key-0123456789';
const ctx: TestContext = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
  ctx.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_KEY}` }, ...(payload ? { payload } : {}) });

async function loginOn(name: string, deviceId: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { code: `dev:${name}` }, headers: { 'x-device-id': deviceId } });
  const body = res.json() as { token: string; user: { id: string } };
  return {
    id: body.user.id,
    post: (url: string) => ctx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${body.token}` } }),
  };
}

describe('fraud review, users and ledger audit on a small world', () => {
  it('flags 4 accounts on one device; voiding one takes back its like exactly, and the books still agree', async () => {
    // World: sharer S (a team captain); honest H on its own phone; F1–F4 share one phone. Each likes S once.
    // Every liker's first like counts ×2: 5 likes × 20 = 100 energy for S and S's team.
    const c = await campaign(ctx);
    const sharerName = unique('s');
    const sharer = await login(ctx, sharerName);
    const team = await createTeam(sharer, c.id);
    const token = await share(sharer, c.id);
    const phone = unique('phone');
    const honest = await loginOn(unique('h'), unique('phone'));
    const fraudsters: Awaited<ReturnType<typeof loginOn>>[] = [];
    for (let i = 0; i < 4; i++) fraudsters.push(await loginOn(unique('f'), phone));
    for (const u of [honest, ...fraudsters]) expect((await u.post(`/v1/shares/${token}/like`)).statusCode).toBe(200);

    const audit0 = (await admin('GET', `/admin/v1/campaigns/${c.id}/ledger-audit`)).json();
    expect(audit0).toMatchObject({ ok: true, energyBalances: 100, energyLedger: 100, teamBalances: 100, mismatches: [] });

    const scan = await admin('POST', '/admin/v1/fraud/scan', { campaignId: c.id });
    expect(scan.statusCode, scan.body).toBe(200);
    const flags = (await admin('GET', '/admin/v1/fraud/flags?status=open&kind=shared_device')).json().items as { id: number; userId: string; evidence: unknown }[];
    const ours = flags.filter((f) => (f.evidence as { deviceId: string }).deviceId === phone);
    expect(ours.map((f) => f.userId).sort()).toEqual(fraudsters.map((f) => f.id).sort());
    expect(flags.map((f) => f.userId)).not.toContain(honest.id);

    const target = ours.find((f) => f.userId === fraudsters[0]!.id)!;
    const review = await admin('POST', `/admin/v1/fraud/flags/${target.id}/review`, { action: 'void', note: 'one phone, four accounts' });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json()).toMatchObject({ voidedLikes: 1, energyReversed: 20, flag: { status: 'voided', resolvedBy: 'JIZAN_ADMIN_KEY' } });
    expect(await findDrift(ctx.database.db)).toEqual([]);

    const again = await admin('POST', `/admin/v1/fraud/flags/${target.id}/review`, { action: 'void' });
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'FLAG_ALREADY_RESOLVED']);

    const audit1 = (await admin('GET', `/admin/v1/campaigns/${c.id}/ledger-audit`)).json();
    expect(audit1).toMatchObject({ ok: true, energyBalances: 80, energyLedger: 80, teamBalances: 80 });
    expect((await sharer.get(`/v1/teams/${team.id}`)).json()).toMatchObject({ energy: 80 });

    // The sharer as operators see them: 5 likes received (one voided), 6 ledger rows, 80 energy.
    const view = (await admin('GET', `/admin/v1/users/${sharer.id}`)).json();
    expect(view.energy).toEqual([{ campaignId: c.id, energy: 80 }]);
    expect(view.likesReceived.total).toBe(5);
    expect(view.likesReceived.recent.filter((l: { voided: boolean }) => l.voided).map((l: { userId: string }) => l.userId)).toEqual([fraudsters[0]!.id]);
    expect(view.ledger.map((l: { amount: number }) => l.amount).sort((a: number, b: number) => a - b)).toEqual([-20, 20, 20, 20, 20, 20]);
    expect(view.teams).toMatchObject([{ teamId: team.id, role: 'captain', energy: 80 }]);
    // The whole ledger and likes page on, newest first, and stream as CSV.
    const ledgerPages: number[][] = [];
    let cursor: string | null = null;
    do {
      const page = (await admin('GET', `/admin/v1/users/${sharer.id}/ledger?limit=4${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: { id: number; amount: number }[]; nextCursor: string | null };
      ledgerPages.push(page.items.map((l) => l.amount));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ledgerPages).toEqual([[-20, 20, 20, 20], [20, 20]]);
    const received = (await admin('GET', `/admin/v1/users/${sharer.id}/likes?side=received&campaignId=${c.id}`)).json();
    expect(received.items.map((l: { userId: string; voided: boolean }) => [l.userId, l.voided])).toEqual(
      [...fraudsters].reverse().map((f, i) => [f.id, i === 3]).concat([[honest.id, false]]),
    );
    expect((await admin('GET', `/admin/v1/users/${sharer.id}/likes?side=given`)).json()).toEqual({ items: [], nextCursor: null });
    expect((await admin('GET', `/admin/v1/users/${crypto.randomUUID()}/ledger`)).statusCode).toBe(404);
    const ledgerCsv = await ctx.app.inject({ method: 'GET', url: `/admin/v1/users/${sharer.id}/ledger`, headers: { authorization: `Bearer ${ADMIN_KEY}`, accept: 'text/csv' } });
    expect(ledgerCsv.body.trimEnd().split('\r\n')).toHaveLength(7);
    expect(ledgerCsv.body.split('\r\n')[1]).toMatch(/^\d+,[0-9a-f-]{36},[0-9a-f-]{36},-20,like_voided,\d+,/);

    const byOpenid = await admin('GET', `/admin/v1/users?openid=dev_${sharerName.toLowerCase()}`);
    expect(byOpenid.json().id).toBe(sharer.id);
    const fraudView = (await admin('GET', `/admin/v1/users/${fraudsters[0]!.id}`)).json();
    expect(fraudView.fraudFlags).toMatchObject([{ kind: 'shared_device', status: 'voided' }]);
    expect(fraudView.likesGiven).toMatchObject({ total: 1, recent: [{ userId: sharer.id, voided: true }] });
    expect((await admin('GET', `/admin/v1/users/${crypto.randomUUID()}`)).statusCode).toBe(404);

    const scans = (await admin('GET', `/admin/v1/audit?targetType=campaign&targetId=${c.id}`)).json().items;
    expect(scans).toMatchObject([{ action: 'fraud.scan', operatorName: 'JIZAN_ADMIN_KEY', after: { campaigns: 1 } }]);
    const log = (await admin('GET', `/admin/v1/audit?targetType=user&targetId=${fraudsters[0]!.id}`)).json().items;
    expect(log).toMatchObject([{ action: 'fraud.void', before: { status: 'open' }, after: { status: 'voided', voidedLikes: 1, energyReversed: 20 } }]);

    // A balance moved without its ledger row (as a bug or a hand edit would) is listed, with both numbers.
    await ctx.database.db.execute(sql`update participants set energy = energy + 5 where campaign_id = ${c.id} and user_id = ${sharer.id}`);
    await ctx.database.db.execute(sql`update teams set energy = energy - 3 where id = ${team.id}`);
    const drifted = (await admin('GET', `/admin/v1/campaigns/${c.id}/ledger-audit`)).json();
    expect(drifted).toMatchObject({ ok: false, energyBalances: 85, energyLedger: 80, teamBalances: 77 });
    expect(drifted.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ area: 'energy', kind: 'participant', id: sharer.id, kept: 85, actual: 80 }),
        expect.objectContaining({ area: 'energy', kind: 'team', id: team.id, kept: 77, actual: 80 }),
      ]),
    );
    expect(drifted.mismatches).toHaveLength(2);
    await ctx.database.db.execute(sql`update participants set energy = energy - 5 where campaign_id = ${c.id} and user_id = ${sharer.id}`);
    await ctx.database.db.execute(sql`update teams set energy = energy + 3 where id = ${team.id}`);
    expect((await admin('GET', `/admin/v1/campaigns/${c.id}/ledger-audit`)).json()).toMatchObject({ ok: true, mismatches: [] });

    const csv = await ctx.app.inject({ method: 'GET', url: '/admin/v1/fraud/flags?kind=shared_device', headers: { authorization: `Bearer ${ADMIN_KEY}`, accept: 'text/csv' } });
    expect(csv.body.split('\r\n')[0]).toBe('id,kind,campaignId,userId,nickname,evidence,status,detectedAt,resolvedAt,resolvedBy');
  });
});
