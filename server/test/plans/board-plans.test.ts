import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceDue, refreshStatistics, tableFacts } from '../../src/db/statistics.js';
import { createCampaign } from '../../src/modules/campaigns/campaigns.service.js';
import { MY_USER_STANDING } from '../../src/modules/leaderboard/leaderboard.repository.js';
import { likePayload } from '../../src/modules/likes/likes.repository.js';
import { createTestDatabase, REAL_PG_URL, type TestDatabase } from '../helper.js';

/**
 * The plans of the user board's "me" and of the like on a database filled in bulk and never
 * analyzed, as after a restore: PostgreSQL then plans from page counts and default selectivities,
 * and the plans made are kept in every connection's statement cache. Read through auto_explain,
 * so the statements inside `energy_rank` and `like_shares` (plpgsql, generic plans) are seen too.
 */
const PARTICIPANTS = 100_000;

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** How each plan captured reads `table`: "Seq Scan", or the index's name. */
function accessTo(plans: PlanNode[], table: string): string[] {
  return plans
    .flatMap(nodes)
    .filter((n) => n['Relation Name'] === table && n['Node Type'] !== 'ModifyTable')
    .map((n) => n['Index Name'] ?? (n['Node Type'] === 'Bitmap Heap Scan' ? n.Plans?.[0]?.['Index Name'] : undefined) ?? n['Node Type']);
}

describe.skipIf(!REAL_PG_URL)('plans without statistics, on PostgreSQL', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let captured: PlanNode[] = [];
  let campaignId = '';
  const user = (g: number) => `00000000-0000-4000-8000-${String(g).padStart(12, '0')}`;

  beforeAll(async () => {
    database = await createTestDatabase();
    const now = new Date();
    const campaign = await createCampaign(
      { db: database.db },
      { slug: 'plans', name: 'plans', startsAt: new Date(now.getTime() - 3600_000), endsAt: new Date(now.getTime() + 3600_000) },
    );
    campaignId = campaign.id;
    client = new pg.Client({ connectionString: database.url! });
    await client.connect();
    // Autovacuum, where it is on, must not analyze behind the test's back.
    for (const table of ['users', 'participants', 'teams', 'team_members', 'likes', 'daily_like_counts', 'shares', 'energy_histogram_moves']) {
      await client.query(`alter table ${table} set (autovacuum_enabled = false)`);
    }
    // As the bench fills: two in three hold energy, many ties; users 1 and 2 share a card.
    await client.query(`
      insert into users (id, openid, nickname)
        select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'plans' || g, 'p' || g from generate_series(1, ${PARTICIPANTS}) g;
      insert into participants (campaign_id, user_id, energy)
        select '${campaignId}', ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid,
               case when g % 3 = 0 then 0 else (g::bigint * 7919) % 997 * 10 + 10 end
        from generate_series(1, ${PARTICIPANTS}) g;
      insert into shares (token, campaign_id, sharer_id, kind) values ('plans-card', '${campaignId}', '${user(1)}', 'like');
      select compact_energy_histogram();`);
    await client.query(`load 'auto_explain'`);
    for (const set of ['log_min_duration = 0', 'log_nested_statements = on', "log_format = 'json'", "log_level = 'notice'"]) {
      await client.query(`set auto_explain.${set}`);
    }
    client.on('notice', (n) => {
      const at = n.message?.indexOf('{') ?? -1;
      if (at >= 0) captured.push((JSON.parse(n.message!.slice(at)) as { Plan: PlanNode }).Plan);
    });
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  /** The plans of everything `run` executes, nested statements included. */
  async function plansOf(run: () => Promise<unknown>): Promise<PlanNode[]> {
    captured = [];
    await run();
    // Notices arrive before the answer; a round trip makes sure the last ones are in.
    await client.query('select 1');
    return captured;
  }

  it('starts from a database with no statistics on the board', async () => {
    const { rows } = await client.query<{ reltuples: number }>(`select reltuples from pg_class where relname = 'participants'`);
    expect(rows[0]!.reltuples).toBe(-1);
  });

  it("plans the user board's \"me\" through the board's partial index and the primary key, generic plan included", async () => {
    await client.query({ name: 'me', text: MY_USER_STANDING, values: [campaignId, user(2)] });
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      await client.query(`set plan_cache_mode = ${mode}`);
      const plans = await plansOf(() => client.query({ name: 'me', text: MY_USER_STANDING, values: [campaignId, user(2)] }));
      const reads = accessTo(plans, 'participants');
      // The caller's balance by the key, the gap to climb one step down the board's index.
      expect(reads.sort()).toEqual(['participants_board_idx', 'participants_campaign_id_user_id_pk']);
      // The rank reads the histogram by its keys, never a scan of a board.
      expect(accessTo(plans, 'energy_histogram')).toEqual(['energy_histogram_campaign_id_board_energy_pk']);
      expect(accessTo(plans, 'energy_histogram_buckets')).toEqual(['energy_histogram_buckets_campaign_id_board_bucket_pk']);
    }
    await client.query('reset plan_cache_mode');
  });

  it("reaches the sharer's balance only through the primary key inside like_shares", async () => {
    const { rows } = await client.query<{ id: string }>(`select id from shares where token = 'plans-card'`);
    const like = (liker: number) => ({
      campaignId,
      rulesVersion: 1,
      shareId: rows[0]!.id,
      sharerId: user(1),
      likerId: user(liker),
      day: new Date().toISOString().slice(0, 10),
      at: new Date(),
      dailyCap: 10,
      sharerCap: null,
      teammatesAllowed: true,
      likeEnergy: 10,
      newLikerEnergy: 20,
      idempotency: { key: null, fingerprint: null },
    });
    // The first call makes the function's plans; the second is read with them in the cache.
    await client.query('select * from like_shares($1)', [likePayload([like(3)])]);
    const plans = await plansOf(() => client.query('select * from like_shares($1)', [likePayload([like(4), like(5)])]));
    const reads = accessTo(plans, 'participants');
    expect(reads.length).toBeGreaterThan(0);
    expect(new Set(reads)).toEqual(new Set(['participants_campaign_id_user_id_pk']));
    expect(accessTo(plans, 'users')).not.toContain('Seq Scan');
    const { rows: liked } = await client.query<{ n: string }>(`select count(*) as n from likes where campaign_id = $1`, [campaignId]);
    expect(Number(liked[0]!.n)).toBe(3);
  });

  it('has the server analyze what has no statistics, and vacuum the drained histogram moves', async () => {
    const refreshed = await refreshStatistics(database.db);
    expect(refreshed).toBeGreaterThan(0);
    const { rows } = await client.query<{ relname: string; reltuples: number }>(
      `select relname, reltuples from pg_class where relname in ('participants', 'users') order by relname`,
    );
    expect(rows.map((r) => r.reltuples > 0)).toEqual([true, true]);
    // Nothing left to do until the tables grow again.
    // Nothing left to do on them until they grow again (a row another connection wrote moments
    // ago may reach the counters late, so only these are checked).
    const due = maintenanceDue(await tableFacts(database.db));
    expect([...due.analyze, ...due.vacuum].filter((t) => ['participants', 'users', 'energy_histogram_moves'].includes(t))).toEqual([]);
  });
});
