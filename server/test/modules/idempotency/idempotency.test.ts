import { describe, expect, it } from 'vitest';
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
});
