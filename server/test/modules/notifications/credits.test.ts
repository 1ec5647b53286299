import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../../src/db/schema/index.js';
import { creditsOf, grantCredit, spendCredit } from '../../../src/modules/notifications/credits.repository.js';
import { createTestDatabase, T0, unique, type TestDatabase } from '../../helper.js';

describe('subscribe send credits', () => {
  let db: TestDatabase;
  let userId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const [u] = await db.db.insert(users).values({ openid: unique('o'), nickname: 'n' } as typeof users.$inferInsert).returning();
    userId = u!.id;
  });
  afterAll(() => db.drop());

  it('each acceptance is one send; a send with none left is refused; templates are counted apart', async () => {
    await grantCredit(db.db, userId, 'group_succeeded', T0);
    await grantCredit(db.db, userId, 'group_succeeded', T0);
    await grantCredit(db.db, userId, 'liked', T0);
    expect(await creditsOf(db.db, userId)).toEqual({ group_succeeded: 2, liked: 1 });
    expect(await spendCredit(db.db, userId, 'group_succeeded', T0)).toBe(true);
    expect(await spendCredit(db.db, userId, 'group_succeeded', T0)).toBe(true);
    expect(await spendCredit(db.db, userId, 'group_succeeded', T0)).toBe(false);
    expect(await spendCredit(db.db, userId, 'reward_ready', T0)).toBe(false);
    expect(await creditsOf(db.db, userId)).toEqual({ group_succeeded: 0, liked: 1 });
  });

  it('senders racing for the last credit: exactly one spends it', async () => {
    await grantCredit(db.db, userId, 'race', T0);
    const won = await Promise.all(Array.from({ length: 8 }, () => spendCredit(db.db, userId, 'race', T0)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await creditsOf(db.db, userId)).race).toBe(0);
  });
});
