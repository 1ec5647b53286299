import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../../src/db/client.js';
import { campaignLedgerAudit, findDrift, foldLedgerSums } from '../../../src/modules/ledger/ledger.service.js';
import { campaign, createTeam, login, REAL_PG_URL, share, testApp, type Client, type TestContext } from '../../helper.js';

/**
 * `ledger_sums` (kept by the ledger-sums job from the rows alone) and the campaign audit built on it:
 * the sums always equal the ledger summed in full, rows past the horizon are counted on request, a
 * wrong sum never passes for drift, and a transaction still open when the horizon is taken is waited for.
 */
const ctx: TestContext = testApp();
const db = () => ctx.database.db;

async function likes(sharer: Client, campaignId: string, n: number) {
  const card = await share(sharer, campaignId);
  for (let i = 0; i < n; i++) expect((await (await login(ctx)).post(`/v1/shares/${card}/like`)).statusCode).toBe(200);
}

/** The sums table against the ledger summed in full, as sorted rows; equal when the job is exact. */
async function sumsVersusLedger() {
  const [kept, exact] = await Promise.all([
    rows<{ k: string }>(db(), sql`select campaign_id || ':' || subject_kind || ':' || subject_id || '=' || total as k from ledger_sums order by 1`),
    rows<{ k: string }>(
      db(),
      sql`select campaign_id || ':user:' || user_id || '=' || sum(amount) as k from energy_ledger
           where id <= (select folded_upto from ledger_sums_horizon) group by campaign_id, user_id
          union all
          select campaign_id || ':team:' || team_id || '=' || sum(amount) from energy_ledger
           where team_id is not null and id <= (select folded_upto from ledger_sums_horizon) group by campaign_id, team_id
          order by 1`,
    ),
  ]);
  return { kept: kept.map((r) => r.k), exact: exact.map((r) => r.k) };
}

const horizon = async () => (await rows<{ folded_upto: number }>(db(), sql`select folded_upto from ledger_sums_horizon`))[0]?.folded_upto ?? 0;

/**
 * Runs the job until it has folded every row. On a shared PostgreSQL a run waits for every
 * transaction of the cluster (other test files' too) that was open when it took its horizon.
 */
async function foldAll() {
  for (let i = 0; i < 400; i++) {
    await foldLedgerSums({ db: db() });
    const [{ behind }] = (await rows<{ behind: boolean }>(
      db(),
      sql`select coalesce((select folded_upto from ledger_sums_horizon), 0) < coalesce((select max(id) from energy_ledger), 0) as behind`,
    )) as [{ behind: boolean }];
    if (!behind) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('ledger sums never caught up');
}

describe('ledger sums and the campaign audit', () => {
  it('folds every row once, counts the rows past the horizon on request, and lists real drift only', async () => {
    const c = await campaign(ctx);
    const a = await login(ctx);
    const team = await createTeam(a, c.id);
    await likes(a, c.id, 3); // 3 first likes: 60 energy to A and A's team

    // Before any fold, the audit reads every row past horizon 0.
    expect(await campaignLedgerAudit(db(), c.id)).toMatchObject({ participants: 1, teams: 1, energyBalances: 60, energyLedger: 60, teamBalances: 60, drift: [] });
    // The first run takes the horizon, the next (nothing in flight) folds up to it.
    await foldLedgerSums({ db: db() });
    expect(await horizon()).toBe(0);
    await foldAll();
    expect(await horizon()).toBeGreaterThan(0);
    const folded = await sumsVersusLedger();
    expect(folded.kept).toEqual(folded.exact);
    expect(folded.kept).toHaveLength(2);

    await likes(a, c.id, 2); // past the horizon: 100 in all
    expect(await campaignLedgerAudit(db(), c.id)).toMatchObject({ energyBalances: 100, energyLedger: 100, teamBalances: 100, drift: [] });
    await foldAll();
    const again = await sumsVersusLedger();
    expect(again.kept).toEqual(again.exact);

    // A wrong sum is caught by the check against the rows themselves, not reported as drift.
    await db().execute(sql`update ledger_sums set total = total + 7 where subject_id = ${a.id}`);
    expect((await campaignLedgerAudit(db(), c.id)).drift).toEqual([]);
    await db().execute(sql`update ledger_sums set total = total - 7 where subject_id = ${a.id}`);

    // A balance moved without a ledger row is drift, with the ledger's own sum beside it.
    await db().execute(sql`update participants set energy = energy + 5 where campaign_id = ${c.id} and user_id = ${a.id}`);
    await db().execute(sql`update teams set energy = energy - 1 where id = ${team.id}`);
    const drifted = await campaignLedgerAudit(db(), c.id);
    expect(drifted.drift).toEqual(
      expect.arrayContaining([
        { kind: 'participant', id: a.id, campaignId: c.id, balance: 105, ledger: 100 },
        { kind: 'team', id: team.id, campaignId: c.id, balance: 99, ledger: 100 },
      ]),
    );
    expect(drifted.drift).toHaveLength(2);
    // The full sum (what the audit falls back on when many disagree) finds the same, and only this
    // campaign's when asked for it: another campaign's drift shows in the whole-database check only.
    const other = await campaign(ctx);
    const b = await login(ctx);
    await likes(b, other.id, 1);
    await db().execute(sql`update participants set energy = energy + 3 where campaign_id = ${other.id} and user_id = ${b.id}`);
    expect(await findDrift(db(), { campaignId: c.id })).toEqual(expect.arrayContaining(drifted.drift));
    expect(await findDrift(db(), { campaignId: c.id })).toHaveLength(2);
    expect(await findDrift(db())).toEqual(
      expect.arrayContaining([...drifted.drift, { kind: 'participant', id: b.id, campaignId: other.id, balance: 23, ledger: 20 }]),
    );
    await db().execute(sql`update participants set energy = energy - 3 where campaign_id = ${other.id} and user_id = ${b.id}`);
    await db().execute(sql`update participants set energy = energy - 5 where campaign_id = ${c.id} and user_id = ${a.id}`);
    await db().execute(sql`update teams set energy = energy + 1 where id = ${team.id}`);
  });

  it.skipIf(!REAL_PG_URL)('waits for a transaction that holds a smaller ledger id until it ends (PostgreSQL)', async () => {
    const c = await campaign(ctx);
    const a = await login(ctx);
    await likes(a, c.id, 1);
    await foldAll();

    // T takes a ledger id and stays open; meanwhile a later like commits a larger id.
    let release!: () => void;
    let inserted!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const insertedP = new Promise<void>((r) => (inserted = r));
    const slow = db().transaction(async (tx) => {
      await tx.execute(sql`update participants set energy = energy + 4 where campaign_id = ${c.id} and user_id = ${a.id}`);
      await tx.execute(sql`insert into energy_ledger (campaign_id, user_id, amount, reason) values (${c.id}, ${a.id}, 4, 'like')`);
      inserted();
      await held;
    });
    await insertedP;
    await likes(await login(ctx), c.id, 1); // another sharer: A's balance row is T's until it ends
    for (let i = 0; i < 3; i++) await foldLedgerSums({ db: db() });
    const [{ late }] = (await rows<{ late: number }>(db(), sql`select max(id) as late from energy_ledger`)) as [{ late: number }];
    // T's id lies below the like's, which is visible: the horizon must not pass T's id while T runs.
    expect(await horizon()).toBeLessThan(late);

    release();
    await slow;
    await foldAll();
    expect(await horizon()).toBeGreaterThanOrEqual(late);
    const after = await sumsVersusLedger();
    expect(after.kept).toEqual(after.exact);
    expect(await campaignLedgerAudit(db(), c.id)).toMatchObject({ energyBalances: 44, energyLedger: 44, drift: [] });
  });
});
