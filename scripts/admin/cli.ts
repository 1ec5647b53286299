/**
 * The admin API from a terminal: prints tables, and exports any list to a CSV file with a
 * progress line (the server streams the CSV; nothing is held in memory).
 *
 *   pnpm admin campaigns
 *   pnpm admin overview <campaignId>
 *   pnpm admin funnel <campaignId> [--from 2026-11-10T00:00:00Z] [--to …]
 *   pnpm admin inviters <campaignId> [--limit 20]
 *   pnpm admin retention <campaignId>
 *   pnpm admin kfactor <campaignId>
 *   pnpm admin fraud [--status open|voided|dismissed]
 *   pnpm admin rewards                      cash rewards in review (flagged during their hold)
 *   pnpm admin messages                     subscribe messages per template: sent, delivered, refused, failed, inbox only, pending
 *   pnpm admin release <redPacketId> [--note …] / pnpm admin void <redPacketId> [--note …]
 *   pnpm admin orders [<campaignId>] [--status paid|grouped|refunded|…] [--user <userId>]
 *   pnpm admin refunds                      refunds that kept failing and wait for an operator
 *   pnpm admin retry-refund <refundId>      sends a stuck refund round again (audited, as POST /admin/v1/refunds/:id/retry)
 *   pnpm admin export <list path, e.g. campaigns/<id>/top-inviters> --out inviters.csv
 *
 * A campaign is named by id or slug. --url (or JIZAN_ADMIN_URL, default http://localhost:3000) and
 * --key (or JIZAN_ADMIN_KEY).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CampaignFunnel, CampaignOverview, KFactorDay, RetentionCohort, TopInviter } from '@jizan/shared';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.JIZAN_ADMIN_URL ?? 'http://localhost:3000' },
    key: { type: 'string', default: process.env.JIZAN_ADMIN_KEY ?? '' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string', default: '20' },
    // No default: fraud flags default to open, orders to every status.
    status: { type: 'string' },
    user: { type: 'string' },
    out: { type: 'string' },
    note: { type: 'string', default: '' },
  },
});
const [command, arg] = positionals;
const base = `${values.url!.replace(/\/$/, '')}/admin/v1`;

function die(message: string): never {
  console.error(message);
  process.exit(2);
}

async function call(path: string, accept = 'application/json', body?: unknown): Promise<Response> {
  if (!values.key) die('An operator key is needed: --key jzk_… or JIZAN_ADMIN_KEY');
  const url = `${base}/${path.replace(/^\//, '')}`;
  const init = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) };
  const headers: Record<string, string> = { authorization: `Bearer ${values.key}`, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(url, { headers, ...init }).catch((err: Error & { cause?: { code?: string } }) =>
    die(`Cannot reach ${base} (${err.cause?.code ?? err.message}): is the server running? --url or JIZAN_ADMIN_URL names it`),
  );
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    die(`${res.status} ${body?.error?.code ?? ''}: ${body?.error?.message ?? res.statusText}`);
  }
  return res;
}

const get = async <T>(path: string): Promise<T> => (await call(path)).json() as Promise<T>;
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** Terminal columns a text takes: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1faff}]/u.test(ch) ? 2 : 1;
  return w;
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatTable(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(displayWidth(c), ...rows.map((r) => displayWidth(cell(r[c])))));
  const pad = (v: string, i: number, right: boolean) => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - displayWidth(v)));
    return right ? fill + v : v + fill;
  };
  const line = (values: string[], numeric: boolean[]) => values.map((v, i) => pad(v, i, numeric[i]!)).join('  ').trimEnd();
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] === null));
  return [line(columns, numeric), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(columns.map((c) => cell(r[c])), numeric))].join('\n');
}

const print = (rows: Record<string, unknown>[], columns: string[]) => console.log(rows.length ? formatTable(rows, columns) : '(none)');
const need = (what: string) => arg ?? die(`Usage: pnpm admin ${command} <${what}>`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The campaign named on the command line, by id or by slug. */
async function campaignArg(): Promise<string> {
  const ref = need('campaign id or slug');
  if (UUID.test(ref)) return ref;
  let cursor: string | null = null;
  do {
    const page: { items: { id: string; slug: string }[]; nextCursor: string | null } = await get(`campaigns?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    const found = page.items.find((c) => c.slug === ref);
    if (found) return found.id;
    cursor = page.nextCursor;
  } while (cursor);
  return die(`No campaign with id or slug "${ref}"`);
}

/** What the fraud scan saw, in one line. */
function evidenceOf(f: { kind: string; evidence: Record<string, unknown> }): string {
  const e = f.evidence;
  switch (f.kind) {
    case 'like_ring':
      return `${(e.members as unknown[] | undefined)?.length ?? '?'} accounts, ${e.insideLikes} likes inside, ${pct(e.insideShare as number)} of theirs, ×${e.rateOverBase} the base rate`;
    case 'team_ring':
      return `${e.toTeammates} of ${e.given} likes to teammates`;
    case 'burst':
      return `${e.likes} likes in ${e.windowMinutes} min`;
    case 'shared_device':
      return `${e.accounts} accounts on device ${e.deviceId}`;
    case 'shared_ip':
      return `${e.accounts} accounts on IP ${e.ip}`;
    default:
      return JSON.stringify(e);
  }
}

async function exportCsv(path: string, file: string) {
  const res = await call(path, 'text/csv');
  const out = createWriteStream(file);
  let bytes = 0;
  let rows = -1; // the header line is not a row
  const started = Date.now();
  const progress = () => process.stderr.write(`\r${rows.toLocaleString()} rows, ${(bytes / 1024).toFixed(0)} KiB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) rows++;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    progress();
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  progress();
  process.stderr.write(`\nwrote ${file}\n`);
}

switch (command) {
  case 'campaigns': {
    const page = await get<{ items: { id: string; slug: string; name: string; state: string; startsAt: string; endsAt: string }[] }>('campaigns?limit=100');
    print(page.items, ['id', 'slug', 'name', 'state', 'startsAt', 'endsAt']);
    break;
  }
  case 'overview': {
    const o = await get<CampaignOverview>(`campaigns/${await campaignArg()}/overview`);
    const g = o.groupBuys;
    print(
      [
        ['participants', o.participants], ['teams', o.teams], ['shares', o.shares], ['opens', o.opens], ['likes', o.likes],
        ['energy issued', o.energyIssued], ['group buys opened', g.opened], ['  open', g.open], ['  succeeded', g.succeeded],
        ['  of which with virtual seats', g.succeededWithVirtualSeats], ['  failed', g.failed], ['  real seats', g.realSeats],
        ['  virtual seats', g.virtualSeats], ['red packets claimed (tiers)', o.redPackets.claimed],
        ['  pool shares', o.redPackets.poolShares], ['  paid (fen)', o.redPackets.paid],
        ['  budget (fen)', o.redPackets.budget], ['  budget left (fen)', o.redPackets.budgetLeft],
        ['  delivered', o.redPackets.delivered], ['  pending', o.redPackets.pending], ['  failed', o.redPackets.failed],
        ['  pool settled at', o.redPackets.settledAt ?? '-'],
      ].map(([what, value]) => ({ what, value })),
      ['what', 'value'],
    );
    console.log(`as of ${o.asOf ?? 'never (the rollup job has not run)'}`);
    break;
  }
  case 'funnel': {
    const q = new URLSearchParams();
    if (values.from) q.set('from', values.from);
    if (values.to) q.set('to', values.to);
    const f = await get<CampaignFunnel>(`campaigns/${await campaignArg()}/funnel?${q}`);
    console.log(`${f.from} → ${f.to}`);
    print(f.stages.map((s) => ({ stage: s.key, count: s.count, 'from previous': pct(s.fromPrevious), 'from openers': pct(s.fromOpeners) })), ['stage', 'count', 'from previous', 'from openers']);
    console.log('\nby channel (users under the channel of their first open; rates from the channel\'s openers)');
    const steps = ['openers', 'liked', 'joinedTeam', 'groupBuy', 'paid'] as const;
    print(
      f.channels.map((c) => {
        const row: Record<string, string | number> = { channel: c.channel, opens: c.opens };
        for (const s of c.stages) row[s.key] = s.key === 'openers' ? s.count : `${s.count} (${pct(s.fromOpeners)})`;
        return row;
      }),
      ['channel', 'opens', ...steps],
    );
    break;
  }
  case 'inviters': {
    const page = await get<{ items: TopInviter[] }>(`campaigns/${await campaignArg()}/top-inviters?limit=${values.limit}`);
    print(page.items.map((u, i) => ({ rank: i + 1, ...u })), ['rank', 'userId', 'nickname', 'invited']);
    break;
  }
  case 'retention': {
    const page = await get<{ items: RetentionCohort[] }>(`campaigns/${await campaignArg()}/retention?limit=100`);
    print(page.items.map((c) => ({ day: c.day, users: c.users, 'day 1': pct(c.day1Rate), 'day 7': pct(c.day7Rate), 'day 30': pct(c.day30Rate) })), ['day', 'users', 'day 1', 'day 7', 'day 30']);
    break;
  }
  case 'kfactor': {
    const page = await get<{ items: KFactorDay[] }>(`campaigns/${await campaignArg()}/k-factor?limit=100`);
    print(page.items, ['day', 'newParticipants', 'invited', 'kFactor']);
    break;
  }
  case 'fraud': {
    type Flag = { id: number; kind: string; userId: string; nickname: string; campaignId: string | null; evidence: Record<string, unknown>; detectedAt: string };
    const page = await get<{ items: Flag[]; nextCursor: string | null }>(`fraud/flags?status=${encodeURIComponent(values.status ?? 'open')}&limit=${values.limit}`);
    print(
      page.items.map((f) => ({ id: f.id, kind: f.kind, nickname: f.nickname, userId: f.userId, evidence: evidenceOf(f), detectedAt: f.detectedAt })),
      ['id', 'kind', 'nickname', 'userId', 'evidence', 'detectedAt'],
    );
    if (page.nextCursor) console.log(`(first ${page.items.length}; pnpm admin export fraud/flags?status=${values.status ?? 'open'} --out flags.csv for all)`);
    break;
  }
  case 'messages': {
    type Stats = { templates: { key: string; templateId: string | null; sent: number; delivered: number; refused: number; failed: number; inboxOnly: number; pending: number }[] };
    const { templates } = await get<Stats>('messages');
    print(
      templates.map((t) => ({ ...t, templateId: t.templateId ?? '(none: inbox only)' })),
      ['key', 'templateId', 'sent', 'delivered', 'refused', 'failed', 'inboxOnly', 'pending'],
    );
    break;
  }
  case 'rewards': {
    type Reward = { id: string; userId: string; amount: number; kind: string; tier: number | null; reason: string; createdAt: string };
    const { items } = await get<{ items: Reward[] }>('rewards?status=review');
    print(
      items.map((r) => ({ id: r.id, kind: r.kind, tier: r.tier ?? '', yuan: (r.amount / 100).toFixed(2), userId: r.userId, reason: r.reason, createdAt: r.createdAt })),
      ['id', 'kind', 'tier', 'yuan', 'userId', 'reason', 'createdAt'],
    );
    break;
  }
  case 'release':
  case 'void': {
    const id = need('red packet id');
    const res = (await (await call(`rewards/${encodeURIComponent(id)}/${command}`, 'application/json', { note: values.note })).json()) as { returned?: number };
    console.log(command === 'void' ? `Voided red packet ${id}: ${((res.returned ?? 0) / 100).toFixed(2)} 元 back in the budget.` : `Released red packet ${id}: its transfer goes at the next pass.`);
    break;
  }
  case 'orders': {
    // Through the admin API, so the filters, paging and validation are the route's (and its service's).
    const query = new URLSearchParams({ limit: values.limit! });
    if (arg) query.set('campaignId', await campaignArg());
    if (values.status) query.set('status', values.status);
    if (values.user) query.set('userId', values.user);
    type Order = { id: string; userId: string; groupId: string; status: string; amount: number; paidAmount: number; refundedAmount: number; createdAt: string };
    const page = await get<{ items: Order[]; nextCursor: string | null }>(`orders?${query}`);
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    print(
      page.items.map((o) => ({ id: o.id, status: o.status, yuan: yuan(o.amount), paid: yuan(o.paidAmount), refunded: yuan(o.refundedAmount), userId: o.userId, groupId: o.groupId, createdAt: o.createdAt })),
      ['id', 'status', 'yuan', 'paid', 'refunded', 'userId', 'groupId', 'createdAt'],
    );
    if (page.nextCursor) console.log(`(first ${page.items.length}; pnpm admin export "orders?${query}" --out orders.csv for all)`);
    break;
  }
  case 'refunds': {
    type Refund = { id: string; orderId: string; amount: number; reason: string; attempts: number; lastError: string | null; updatedAt: string };
    const { items } = await get<{ items: Refund[] }>('refunds?status=stuck');
    print(
      items.map((r) => ({ id: r.id, orderId: r.orderId, yuan: (r.amount / 100).toFixed(2), reason: r.reason, attempts: r.attempts, lastError: r.lastError ?? '', updatedAt: r.updatedAt })),
      ['id', 'orderId', 'yuan', 'reason', 'attempts', 'lastError', 'updatedAt'],
    );
    break;
  }
  case 'retry-refund': {
    const id = need('refund id');
    const res = (await (await call(`refunds/${encodeURIComponent(id)}/retry`, 'application/json', {})).json()) as { status: string; attempts: number };
    console.log(`Refund ${id} is ${res.status} again (${res.attempts} attempts): the refund job sends it at its next pass.`);
    break;
  }
  case 'export': {
    await exportCsv(need('list path'), values.out ?? die('Where to? --out <file.csv>'));
    break;
  }
  default:
    die('Commands: campaigns, overview <id>, funnel <id>, inviters <id>, retention <id>, kfactor <id>, fraud, rewards, messages, release <id>, void <id>, orders [<campaign>], refunds, retry-refund <id>, export <path> --out <file>');
}
