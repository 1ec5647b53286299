import { describe, expect, it } from 'vitest';
import { expireIdempotencyKeys } from '../../../src/modules/idempotency/idempotency.service.js';
import { campaign, createTeam, errorCode, login, share, testApp } from '../../helper.js';

const ctx = testApp();

describe('Idempotency-Key', () => {
  it('replays the first answer to a retry and moves energy once', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = await share(sharer, c.id);
    const friend = await login(ctx);
    const key = { 'idempotency-key': 'retry-123' };
    const first = await friend.post(`/v1/shares/${card}/like`, undefined, key);
    const retry = await friend.post(`/v1/shares/${card}/like`, undefined, key);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await sharer.get(`/v1/me/ledger?campaignId=${c.id}`)).json().balance).toBe(20);
    // Without the key the duplicate is a plain repeat like.
    expect(errorCode(await friend.post(`/v1/shares/${card}/like`))).toBe('ALREADY_LIKED');
  });

  it('refuses the same key on a different request, and malformed keys', async () => {
    const c = await campaign(ctx);
    const [a, b] = [await share(await login(ctx), c.id), await share(await login(ctx), c.id)];
    const friend = await login(ctx);
    await friend.post(`/v1/shares/${a}/like`, undefined, { 'idempotency-key': 'k1' });
    const reused = await friend.post(`/v1/shares/${b}/like`, undefined, { 'idempotency-key': 'k1' });
    expect(reused.statusCode).toBe(422);
    expect(errorCode(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    for (const bad of ['x'.repeat(129), 'has space', '']) {
      const res = await friend.post(`/v1/shares/${b}/like`, undefined, { 'idempotency-key': bad });
      expect(res.statusCode, bad).toBe(400);
      expect(errorCode(res)).toBe('INVALID_IDEMPOTENCY_KEY');
    }
    expect((await friend.post(`/v1/shares/${b}/like`)).statusCode).toBe(200);
  });

  it('does not store failures: a key whose first try failed can succeed later', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const card = await share(sharer, c.id, 'like');
    const friend = await login(ctx);
    const key = { 'idempotency-key': 'join-when-ready' };
    expect(errorCode(await friend.post(`/v1/shares/${card}/join`, undefined, key))).toBe('NOT_IN_TEAM');
    await createTeam(sharer, c.id);
    expect((await friend.post(`/v1/shares/${card}/join`, undefined, key)).statusCode).toBe(200);
  });

  it('makes one card from twenty retries of POST /v1/shares under one key', async () => {
    const c = await campaign(ctx);
    const me = await login(ctx);
    const key = { 'idempotency-key': 'card-once' };
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await me.post('/v1/shares', { campaignId: c.id, kind: 'like' }, key));
    expect(answers.every((r) => r.statusCode === 201)).toBe(true);
    expect(new Set(answers.map((r) => r.json().token)).size).toBe(1);
    expect(answers.slice(1).every((r) => r.headers['idempotent-replayed'] === 'true')).toBe(true);
    // The same key for the other kind of card is another request.
    expect(errorCode(await me.post('/v1/shares', { campaignId: c.id, kind: 'team' }, key))).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('binds a team-creation key to the body: the same key with another name is refused', async () => {
    const c = await campaign(ctx);
    const me = await login(ctx);
    const key = { 'idempotency-key': 'found-team' };
    const first = await me.post(`/v1/campaigns/${c.id}/teams`, { name: '星河' }, key);
    expect(first.statusCode).toBe(201);
    const again = await me.post(`/v1/campaigns/${c.id}/teams`, { name: '星河' }, key);
    expect(again.json()).toEqual(first.json());
    const other = await me.post(`/v1/campaigns/${c.id}/teams`, { name: '银河' }, key);
    expect(other.statusCode).toBe(422);
    expect(errorCode(other)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('forgets keys after their lifetime through the expiry job, so the key is free again', async () => {
    const c = await campaign(ctx);
    const [a, b] = [await share(await login(ctx), c.id), await share(await login(ctx), c.id)];
    const friend = await login(ctx);
    await friend.post(`/v1/shares/${a}/like`, undefined, { 'idempotency-key': 'old-key' });
    const deps = { db: ctx.database.db, clock: ctx.clock, ttlHours: 24 };
    expect(await expireIdempotencyKeys(deps)).toBe(0);
    ctx.clock.advance(25 * 3600_000);
    try {
      expect(await expireIdempotencyKeys(deps)).toBeGreaterThanOrEqual(1);
      expect((await friend.post(`/v1/shares/${b}/like`, undefined, { 'idempotency-key': 'old-key' })).statusCode).toBe(200);
    } finally {
      ctx.clock.advance(-25 * 3600_000);
    }
  });
});
