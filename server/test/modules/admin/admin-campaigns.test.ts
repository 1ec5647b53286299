import { describe, expect, it } from 'vitest';
import { createOperator } from '../../../src/modules/operators/operators.service.js';
import { errorCode, login, share, testApp, unique } from '../../helper.js';

const ADMIN_KEY = 'test-admin-key-0123456789';
const ctx = testApp({ config: { JIZAN_ADMIN_KEY: ADMIN_KEY } });
const H = 3600_000;
const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method, url, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...headers }, ...(payload ? { payload } : {}) });
const at = (ms: number) => new Date(ctx.clock.now().getTime() + ms).toISOString();

async function draft(extra: object = {}) {
  const res = await admin('POST', '/admin/v1/campaigns', { slug: unique('c'), name: '双12', startsAt: at(H), endsAt: at(48 * H), ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; state: string; rules: Record<string, unknown> };
}

describe('admin campaigns', () => {
  it('access on a write route: no key 401, user token 403, read key 403, wrong key 401, admin key ok', async () => {
    const body = { slug: unique('c'), name: 'x', startsAt: at(H), endsAt: at(2 * H) };
    const user = await login(ctx);
    const { key: readKey } = await createOperator({ db: ctx.database.db, clock: ctx.clock }, { name: unique('r'), scopes: ['read'] });
    const { key: writeKey } = await createOperator({ db: ctx.database.db, clock: ctx.clock }, { name: unique('w'), scopes: ['read', 'write'] });
    const post = (authorization?: string) =>
      ctx.app.inject({ method: 'POST', url: '/admin/v1/campaigns', payload: { ...body, slug: unique('c') }, headers: authorization ? { authorization } : {} });
    expect((await post()).statusCode).toBe(401);
    const asUser = await post(`Bearer ${user.token}`);
    expect([asUser.statusCode, errorCode(asUser)]).toEqual([403, 'OPERATOR_ONLY']);
    const asReader = await post(`Bearer ${readKey}`);
    expect([asReader.statusCode, errorCode(asReader)]).toEqual([403, 'SCOPE_MISSING']);
    expect((await post('Bearer jzk_0000000000000000000000')).statusCode).toBe(401);
    expect((await post(`Bearer ${writeKey}`)).statusCode).toBe(201);
    expect((await post(`Bearer ${ADMIN_KEY}`)).statusCode).toBe(201);
    expect((await ctx.app.inject({ method: 'GET', url: '/admin/v1/campaigns', headers: { authorization: `Bearer ${readKey}` } })).statusCode).toBe(200);
  });

  it('a draft is invisible to users until published; then it follows its window', async () => {
    const c = await draft({ startsAt: at(H) });
    expect(c.state).toBe('draft');
    const user = await login(ctx);
    expect((await user.get(`/v1/campaigns/${c.id}`)).statusCode).toBe(404);
    const published = await admin('POST', `/admin/v1/campaigns/${c.id}/transition`, { to: 'scheduled' });
    expect(published.json()).toMatchObject({ state: 'scheduled' });
    expect((await user.get(`/v1/campaigns/${c.id}`)).json()).toMatchObject({ status: 'upcoming' });
    const live = await admin('POST', `/admin/v1/campaigns/${c.id}/transition`, { to: 'live' });
    expect(live.json()).toMatchObject({ state: 'live', startsAt: ctx.clock.now().toISOString() });
    expect((await user.get('/v1/campaigns')).json().campaigns.map((x: { id: string }) => x.id)).toContain(c.id);
  });

  it('refuses illegal moves with 409 CAMPAIGN_TRANSITION_INVALID', async () => {
    const c = await draft();
    for (const to of ['live', 'ended', 'settled', 'draft']) {
      const res = await admin('POST', `/admin/v1/campaigns/${c.id}/transition`, { to });
      expect([res.statusCode, errorCode(res)], to).toEqual([409, 'CAMPAIGN_TRANSITION_INVALID']);
    }
  });

  it('a rules edit is validated (400 with the reason) and seen by the next like', async () => {
    const c = await draft({ startsAt: at(2 * H) });
    const bad = await admin('PATCH', `/admin/v1/campaigns/${c.id}`, { rules: { likeEnergy: 0 } });
    expect([bad.statusCode, errorCode(bad)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(bad.json())).toContain('likeEnergy');
    await admin('POST', `/admin/v1/campaigns/${c.id}/transition`, { to: 'scheduled' });
    await admin('POST', `/admin/v1/campaigns/${c.id}/transition`, { to: 'live' });
    const [sharer, liker] = [await login(ctx), await login(ctx)];
    const token = await share(sharer, c.id);
    const edit = await admin('PATCH', `/admin/v1/campaigns/${c.id}`, { rules: { likeEnergy: 7, firstLikeMultiplier: 1 } });
    expect(edit.json().rules).toMatchObject({ likeEnergy: 7, dailyLikeCap: 20 });
    const liked = await liker.post(`/v1/shares/${token}/like`);
    expect(liked.json()).toMatchObject({ energy: 7, sharerEnergy: 7 });
  });

  it('records every write in the audit log with before and after', async () => {
    const c = await draft();
    await admin('PATCH', `/admin/v1/campaigns/${c.id}`, { name: '新名字' });
    const res = await admin('GET', `/admin/v1/audit?targetType=campaign&targetId=${c.id}`);
    const items = res.json().items as { action: string; operatorName: string; before: { name: string } | null; after: { name: string } }[];
    expect(items.map((i) => i.action)).toEqual(['campaign.update', 'campaign.create']);
    expect(items[0]).toMatchObject({ operatorName: 'JIZAN_ADMIN_KEY', before: { name: '双12' }, after: { name: '新名字' } });
  });

  it('pages campaigns by cursor and streams them as CSV', async () => {
    const created = [await draft(), await draft(), await draft()];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await admin('GET', `/admin/v1/campaigns?state=draft&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json() as { items: { id: string; state: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    for (const c of created) expect(seen).toContain(c.id);
    expect(new Set(seen).size).toBe(seen.length);

    const csv = await admin('GET', '/admin/v1/campaigns?state=draft', undefined, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,slug,name,description,startsAt,endsAt,timeZone,state,publishedAt,rules,createdAt');
    expect(lines).toHaveLength(seen.length + 1);
    // The rules column is JSON, so it holds commas and quotes: quoted, quotes doubled.
    expect(lines[1]).toMatch(/,"\{"".*""teamSizeLimit"":5,.*\}",/);
    expect((await admin('GET', '/admin/v1/campaigns?cursor=bm9wZQ')).statusCode).toBe(400);
  });

  it('adds a product to a draft, edits it and adjusts its stock, never below zero', async () => {
    const c = await draft();
    const p = await admin('POST', `/admin/v1/campaigns/${c.id}/products`, { title: '保温杯', price: 9900, groupPrice: 5900, groupSize: 3, stock: 10 });
    expect(p.statusCode, p.body).toBe(201);
    const id = p.json().id as string;
    const bad = await admin('PATCH', `/admin/v1/products/${id}`, { groupPrice: 99000 });
    expect(bad.statusCode).toBe(400);
    expect((await admin('PATCH', `/admin/v1/products/${id}`, { groupPrice: 4900 })).json()).toMatchObject({ groupPrice: 4900 });
    expect((await admin('POST', `/admin/v1/products/${id}/stock`, { delta: 5 })).json()).toMatchObject({ stock: 15 });
    const under = await admin('POST', `/admin/v1/products/${id}/stock`, { delta: -16 });
    expect([under.statusCode, errorCode(under)]).toEqual([409, 'OUT_OF_STOCK']);
    expect((await admin('POST', `/admin/v1/products/${id}/stock`, { delta: -15 })).json()).toMatchObject({ stock: 0 });
  });
});
