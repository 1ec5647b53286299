import type { FraudFlag, FraudReviewBody, FraudReviewResult, FraudScanResult } from '@jizan/shared';
import type { Db } from '../../db/client.js';
import type { BoardSync } from '../../lib/board-sync.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { iso } from '../../lib/time.js';
import { voidLikesBy } from '../likes/likes.service.js';
import { recordAudit, type Actor } from '../operators/audit.service.js';
import { unbackedRedPackets } from '../redpackets/redpackets.service.js';
import * as repo from './fraud.repository.js';
import { BURST_DEFAULTS, findBursts, findLikeRings, findSharedIdentities, findTeamRings, type Suspect } from './fraud-rules.js';

export function toFraudFlag(row: repo.FlagListRow): FraudFlag {
  return {
    id: row.id,
    kind: row.kind,
    campaignId: row.campaignId,
    userId: row.userId,
    nickname: row.nickname,
    evidence: row.evidence,
    status: row.status,
    detectedAt: iso(row.detectedAt),
    resolvedAt: row.resolvedAt ? iso(row.resolvedAt) : null,
    resolvedBy: row.resolvedBy,
  };
}

function flagOf(s: Suspect, campaignId: string | null) {
  return { kind: s.kind, subject: `${s.kind}:${campaignId ?? '-'}:${s.userId}`, campaignId, userId: s.userId, evidence: s.evidence };
}

/**
 * Gathers the facts with SQL and runs the pure rules over them: rings, team rings and bursts per
 * campaign (one campaign, or every one live or ended within a week), devices and IPs across all.
 * Safe to run anywhere at once: flags are upserted on their unique subject.
 */
export async function scanFraud(deps: { db: Db; clock: Clock }, opts: { campaignId?: string } = {}): Promise<FraudScanResult> {
  const now = deps.clock.now();
  const campaignIds = opts.campaignId ? [opts.campaignId] : await repo.campaignsToScan(deps.db, now);
  let suspects = 0;
  let flagged = 0;
  for (const campaignId of campaignIds) {
    const [edges, teams, received] = await Promise.all([
      repo.likeEdges(deps.db, campaignId),
      repo.teamLikes(deps.db, campaignId),
      repo.likesOfBusySharers(deps.db, campaignId, BURST_DEFAULTS.minLikes),
    ]);
    const found = [...findLikeRings(edges), ...findTeamRings(teams), ...findBursts(received)];
    suspects += found.length;
    flagged += await repo.upsertFlags(deps.db, found.map((s) => flagOf(s, campaignId)), now);
  }
  const shared = findSharedIdentities(await repo.loginFacts(deps.db));
  suspects += shared.length;
  flagged += await repo.upsertFlags(deps.db, shared.map((s) => flagOf(s, null)), now);
  return { campaigns: campaignIds.length, suspects, flagged };
}

/** A scan an operator asked for (POST /fraud/scan): the scan, then its audit row (who ran it, what it found). */
export async function scanFraudAsOperator(deps: { db: Db; clock: Clock }, actor: Actor, opts: { campaignId?: string } = {}): Promise<FraudScanResult> {
  const result = await scanFraud(deps, opts);
  await recordAudit(deps.db, actor, deps.clock.now(), {
    action: 'fraud.scan',
    targetType: opts.campaignId ? 'campaign' : 'fraud',
    targetId: opts.campaignId ?? 'all',
    before: null,
    after: result,
  });
  return result;
}

export function flagsPage(deps: { db: Db }, q: Parameters<typeof repo.listFlags>[1]) {
  return repo.listFlags(deps.db, q);
}

/**
 * An operator's decision on a flag. `void` takes back every like the flagged user gave (in the
 * flag's campaign; in every campaign for a device or IP flag) through compensating ledger rows,
 * with the balances reduced in the same transaction; the flag is resolved and the review audited.
 * Red packets are not touched: they are money, possibly delivered already, and no ledger row can
 * take them back. A campaign not settled yet splits its pool from the ledger, so voided energy
 * earns no pool share, and later tier claims see the reduced energy. Red packets already paid on
 * the voided energy come back as `unbackedRedPackets` (and stay in the campaign's ledger audit).
 */
export async function reviewFlag(
  deps: { db: Db; clock: Clock; boards: BoardSync },
  actor: Actor,
  flagId: number,
  body: FraudReviewBody,
): Promise<FraudReviewResult> {
  const now = deps.clock.now();
  let lowered = null as { campaignId: string | null; userIds: string[] } | null;
  const result = await deps.db.transaction(async (tx) => {
    const flag = await repo.lockFlag(tx, flagId);
    if (!flag) throw new AppError('FLAG_NOT_FOUND', 'No such fraud flag');
    if (flag.status !== 'open') throw new AppError('FLAG_ALREADY_RESOLVED', `This flag was already ${flag.status} by ${flag.resolvedBy ?? 'an operator'}`);
    const moved = body.action === 'void' ? await voidLikesBy(tx, flag.userId, flag.campaignId, now) : { likes: 0, energy: 0, credited: [] };
    lowered = { campaignId: flag.campaignId, userIds: moved.credited };
    // Red packets are money and stay paid; those now paid on more energy than their holder has are listed.
    const unbacked = await unbackedRedPackets(tx, { campaignId: flag.campaignId, userIds: moved.credited });
    const resolved = await repo.resolveFlag(tx, flagId, { status: body.action === 'void' ? 'voided' : 'dismissed', at: now, by: actor.name });
    await recordAudit(tx, actor, now, {
      action: `fraud.${body.action}`,
      targetType: 'user',
      targetId: flag.userId,
      before: { flagId, status: flag.status },
      after: {
        flagId,
        status: resolved.status,
        voidedLikes: moved.likes,
        energyReversed: moved.energy,
        unbackedRedPackets: unbacked.map((p) => p.id),
        note: body.note ?? null,
      },
    });
    const [row] = await repo.listFlags(tx, { userId: flag.userId, afterId: flagId - 1, limit: 1 });
    return { flag: toFraudFlag(row!), voidedLikes: moved.likes, energyReversed: moved.energy, unbackedRedPackets: unbacked };
  });
  // Committed: a board kept outside PostgreSQL lowers the sharers the voided likes had credited (and their teams).
  if (lowered) deps.boards.moved(lowered.campaignId, lowered.userIds, 'lowered');
  return result;
}
