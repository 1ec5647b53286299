import { sql } from 'drizzle-orm';
import { rows } from '../../../src/db/client.js';
import type { SettleDeps } from '../../../src/modules/redpackets/settlement.service.js';
import { createTeam, login, share, type Client, type TestContext } from '../../helper.js';

/**
 * Energy comes only from friends' likes through the public route: each new friend's first like
 * ever counts double, so `friends` new friends give the sharer 20 × friends energy (and their team too).
 */
export async function earn(ctx: TestContext, user: Client, campaignId: string, friends: number): Promise<void> {
  const card = await share(user, campaignId);
  const likers = await Promise.all(Array.from({ length: friends }, () => login(ctx)));
  for (const friend of likers) {
    const res = await friend.post(`/v1/shares/${card}/like`);
    if (res.statusCode !== 200) throw new Error(`like failed: ${res.body}`);
  }
}

/** `n` users who each liked the next one's card once: 20 energy each, with n requests of each kind. */
export async function ring(ctx: TestContext, campaignId: string, n: number): Promise<Client[]> {
  const users = await inChunks(n, () => login(ctx));
  const cards = await inChunks(n, (i) => share(users[i]!, campaignId));
  await inChunks(n, async (i) => {
    const res = await users[i]!.post(`/v1/shares/${cards[(i + 1) % n]}/like`);
    if (res.statusCode !== 200) throw new Error(`like failed: ${res.body}`);
  });
  return users;
}

async function inChunks<T>(n: number, make: (i: number) => Promise<T>, size = 25): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, k) => make(i + k)))));
  }
  return out;
}

/** A team whose members earned 20 × friends[i] energy each (the captain is member 0). */
export async function teamWith(ctx: TestContext, campaignId: string, friends: number[]) {
  const captain = await login(ctx);
  const team = await createTeam(captain, campaignId);
  const card = await share(captain, campaignId, 'team');
  const members = [captain];
  for (let i = 1; i < friends.length; i++) {
    const m = await login(ctx);
    const res = await m.post(`/v1/shares/${card}/join`);
    if (res.statusCode !== 200) throw new Error(`join failed: ${res.body}`);
    members.push(m);
  }
  for (let i = 0; i < friends.length; i++) await earn(ctx, members[i]!, campaignId, friends[i]!);
  return { id: team.id, members };
}

/**
 * Settlement no longer pays: pool shares (like tier claims) are held, reviewed and transferred by
 * the transfer job (transfers.test.ts). What settlement tests need is the split's deps.
 */
export function settleDeps(ctx: TestContext, overrides: Partial<SettleDeps> = {}): SettleDeps {
  return { db: ctx.database.db, clock: ctx.clock, holdMinutes: 0, settleGraceSeconds: 60, ...overrides };
}

/** Red packets of a campaign with their successful attempts, straight from the tables. */
export async function paidOut(ctx: TestContext, campaignId: string) {
  return rows<{ id: number; payout_id: string; user_id: string; kind: string; amount: number; successes: number }>(
    ctx.database.db,
    sql`select rp.id, replace(rp.payout_id::text, '-', '') as payout_id, rp.user_id, rp.kind, rp.amount,
               (select count(*) from red_packet_payout_attempts a where a.red_packet_id = rp.id and a.status = 'succeeded')::int as successes
        from red_packets rp where rp.campaign_id = ${campaignId} order by rp.id`,
  ).then((rs) => rs.map((r) => ({ ...r, id: Number(r.id), amount: Number(r.amount), successes: Number(r.successes) })));
}

export async function budgetOf(ctx: TestContext, campaignId: string) {
  const [row] = await rows<{ budget: number; remaining: number }>(
    ctx.database.db,
    sql`select budget, remaining from red_packet_budgets where campaign_id = ${campaignId}`,
  );
  return row ? { budget: Number(row.budget), remaining: Number(row.remaining) } : undefined;
}
