import { describe, expect, it } from 'vitest';
import { campaign, login, testApp } from '../../helper.js';

const ctx = testApp();

describe('campaigns', () => {
  it('lists live campaigns only, with the fields clients rely on', async () => {
    const live = await campaign(ctx, { name: 'Live one' });
    const day = 24 * 3600_000;
    const now = ctx.clock.now().getTime();
    const past = await campaign(ctx, { startsAt: new Date(now - 9 * day), endsAt: new Date(now - day) });
    const future = await campaign(ctx, { startsAt: new Date(now + day), endsAt: new Date(now + 9 * day) });
    const me = await login(ctx);
    const res = await me.get('/v1/campaigns');
    expect(res.statusCode).toBe(200);
    const ids = res.json().campaigns.map((c: { id: string }) => c.id);
    expect(ids).toContain(live.id);
    expect(ids).not.toContain(past.id);
    expect(ids).not.toContain(future.id);
    const listed = res.json().campaigns.find((c: { id: string }) => c.id === live.id);
    expect(Object.keys(listed)).toEqual(expect.arrayContaining(['id', 'name', 'startsAt', 'endsAt']));
    expect(listed.status).toBe('live');
  });
});
