import { Type, type Static } from 'typebox';
import { CampaignRules } from './campaigns.js';
import { Cursor, Fen, Id, PageSize, Timestamp } from './common.js';
import { RedPacket } from './redpackets.js';

/**
 * The operators' admin API (`/admin/v1`). Operators call it with an operator key
 * (`Authorization: Bearer jzk_…`), never with a user's access token.
 */

/** `read` sees everything; `write` changes campaigns, products, stock and fraud reviews. */
export const OperatorScope = Type.Union([Type.Literal('read'), Type.Literal('write')]);
export type OperatorScope = Static<typeof OperatorScope>;

/** The prefix every operator key starts with, so a leaked key is recognisable in logs and scanners. */
export const OPERATOR_KEY_PREFIX = 'jzk_';

export const Operator = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(OperatorScope),
  /** The key's first characters, to tell keys apart without revealing them. */
  keyPrefix: Type.String(),
  createdAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Operator = Static<typeof Operator>;

/** Every admin list takes the same paging query; `Accept: text/csv` streams all pages as CSV instead. */
export const AdminPageQuery = Type.Object({
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(PageSize),
});
export type AdminPageQuery = Static<typeof AdminPageQuery>;

/** An admin list page: the rows, and the cursor of the next page (null on the last). */
export function AdminPage<T extends ReturnType<typeof Type.Object>>(item: T, options: { $id?: string; description?: string } = {}) {
  // The page's example is the item's, so every list shows a filled page in the OpenAPI document.
  const examples = (item as { examples?: unknown[] }).examples;
  const example = Array.isArray(examples) && examples.length > 0 ? { examples: [{ items: [examples[0]], nextCursor: 'YTE6WzEyXQ' }] } : {};
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Cursor, Type.Null()]) }, { ...example, ...options });
}

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  operatorId: Type.Union([Id, Type.Null()]),
  operatorName: Type.String(),
  action: Type.String({ examples: ['campaign.transition'] }),
  targetType: Type.String({ examples: ['campaign'] }),
  targetId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  createdAt: Timestamp,
}, {
  examples: [
    {
      id: 41,
      operatorId: '2c9d7a0e-8f4b-4b1e-9a57-6d3c1e0f5a21',
      operatorName: 'ops-lin',
      action: 'campaign.update',
      targetType: 'campaign',
      targetId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f',
      before: { rules: { dailyLikeCap: 20 } },
      after: { rules: { dailyLikeCap: 30 } },
      createdAt: '2026-11-10T02:15:00.000Z',
    },
  ],
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object({
  ...AdminPageQuery.properties,
  targetType: Type.Optional(Type.String({ maxLength: 50 })),
  targetId: Type.Optional(Type.String({ maxLength: 100 })),
});
export type AuditQuery = Static<typeof AuditQuery>;

// ---- Campaigns ----

/** draft (invisible to users) → scheduled → live → ended → settled (red-packet settlement ran). */
export const CampaignLifecycle = Type.Union([
  Type.Literal('draft'),
  Type.Literal('scheduled'),
  Type.Literal('live'),
  Type.Literal('ended'),
  Type.Literal('settled'),
]);
export type CampaignLifecycle = Static<typeof CampaignLifecycle>;

export const AdminCampaign = Type.Object(
  {
    id: Id,
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    startsAt: Timestamp,
    endsAt: Timestamp,
    timeZone: Type.String(),
    state: CampaignLifecycle,
    publishedAt: Type.Union([Timestamp, Type.Null()]),
    rules: CampaignRules,
    createdAt: Timestamp,
  },
  {
    examples: [
      {
        id: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f',
        slug: 'double-11',
        name: '双11 组队集能量',
        description: '',
        startsAt: '2026-11-01T00:00:00.000Z',
        endsAt: '2026-11-12T00:00:00.000Z',
        timeZone: 'Asia/Shanghai',
        state: 'live',
        publishedAt: '2026-10-30T08:00:00.000Z',
        rules: { teamSizeLimit: 5, likeEnergy: 10, firstLikeMultiplier: 2, groupJoinEnergy: 30, dailyLikeCap: 20, sharerDailyLikeCap: null, teammateLikes: 'refused', redPacketTiers: [], redPacketClaimDeadline: null, redPacketBudget: 0, prizePool: 0, prizePoolMinTeamEnergy: 0 },
        createdAt: '2026-10-30T08:00:00.000Z',
      },
    ],
  },
);
export type AdminCampaign = Static<typeof AdminCampaign>;

export const AdminCampaignListQuery = Type.Object({
  ...AdminPageQuery.properties,
  state: Type.Optional(CampaignLifecycle),
});
export type AdminCampaignListQuery = Static<typeof AdminCampaignListQuery>;

const Slug = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' });

/** A new campaign starts as a draft; rules not stated take their defaults. */
export const AdminCreateCampaignBody = Type.Object(
  {
    slug: Slug,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    startsAt: Timestamp,
    endsAt: Timestamp,
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    rules: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Any CampaignRules fields; validated as a whole' })),
  },
  { examples: [{ slug: 'double-12', name: '双12 组队集能量', startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-13T00:00:00Z', rules: { likeEnergy: 20 } }] },
);
export type AdminCreateCampaignBody = Static<typeof AdminCreateCampaignBody>;

/** Fields to change; `rules` is merged over the current rules and validated as a whole. */
export const AdminUpdateCampaignBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    startsAt: Type.Optional(Timestamp),
    endsAt: Type.Optional(Timestamp),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    rules: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { minProperties: 1, examples: [{ rules: { dailyLikeCap: 30 } }] },
);
export type AdminUpdateCampaignBody = Static<typeof AdminUpdateCampaignBody>;

export const AdminTransitionBody = Type.Object({ to: CampaignLifecycle }, { examples: [{ to: 'scheduled' }] });
export type AdminTransitionBody = Static<typeof AdminTransitionBody>;

// ---- Products ----

export const AdminCreateProductBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    images: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 9 })),
    price: Type.Integer({ minimum: 1 }),
    groupPrice: Type.Integer({ minimum: 1 }),
    groupSize: Type.Integer({ minimum: 2, maximum: 10 }),
    groupWindowSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    stock: Type.Integer({ minimum: 0 }),
    perUserLimit: Type.Optional(Type.Integer({ minimum: 1 })),
    virtualFill: Type.Optional(Type.Union([Type.Object({ minRealMembers: Type.Integer({ minimum: 1 }) }), Type.Null()])),
  },
  { examples: [{ title: '保温杯', price: 9900, groupPrice: 5900, groupSize: 3, stock: 100 }] },
);
export type AdminCreateProductBody = Static<typeof AdminCreateProductBody>;

export const AdminUpdateProductBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    images: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 9 })),
    price: Type.Optional(Type.Integer({ minimum: 1 })),
    groupPrice: Type.Optional(Type.Integer({ minimum: 1 })),
    perUserLimit: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { minProperties: 1, examples: [{ groupPrice: 4900 }] },
);
export type AdminUpdateProductBody = Static<typeof AdminUpdateProductBody>;

/** Adds (or with a negative delta removes) units; stock never goes below zero. */
export const AdminStockBody = Type.Object(
  { delta: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }), reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { examples: [{ delta: 50, reason: 'restock' }] },
);
export type AdminStockBody = Static<typeof AdminStockBody>;

// ---- Red packets, as operators see them ----

/** A red packet with its holder, its team (pool shares) and the energy it was paid on. */
export const AdminRedPacket = Type.Object({
  ...RedPacket.properties,
  userId: Id,
  teamId: Type.Union([Id, Type.Null()]),
  energy: Type.Integer({ description: "The energy it was paid on: the tier's threshold, or the member's contribution for a pool share" }),
});
export type AdminRedPacket = Static<typeof AdminRedPacket>;

/**
 * A red packet paid on energy that was later voided: its basis is above what its holder has now.
 * Red packets are money and are never taken back by a ledger row; an operator follows these up by hand.
 */
export const UnbackedRedPacket = Type.Object({
  ...AdminRedPacket.properties,
  energyNow: Type.Integer({ description: "The holder's energy now (campaign energy for a tier claim, their ledger rows on the team for a pool share)" }),
});
export type UnbackedRedPacket = Static<typeof UnbackedRedPacket>;

// ---- Fraud ----

export const FraudKind = Type.Union([
  Type.Literal('like_ring'),
  Type.Literal('team_ring'),
  Type.Literal('burst'),
  Type.Literal('shared_device'),
  Type.Literal('shared_ip'),
]);
export type FraudKind = Static<typeof FraudKind>;

export const FraudFlagStatus = Type.Union([Type.Literal('open'), Type.Literal('voided'), Type.Literal('dismissed')]);
export type FraudFlagStatus = Static<typeof FraudFlagStatus>;

export const FraudFlag = Type.Object(
  {
    id: Type.Integer(),
    kind: FraudKind,
    campaignId: Type.Union([Id, Type.Null()]),
    userId: Id,
    nickname: Type.String(),
    evidence: Type.Unknown({ description: 'What the scan saw: ring members and shares, burst window, accounts per device or IP' }),
    status: FraudFlagStatus,
    detectedAt: Timestamp,
    resolvedAt: Type.Union([Timestamp, Type.Null()]),
    resolvedBy: Type.Union([Type.String(), Type.Null()]),
  },
  {
    examples: [
      {
        id: 12,
        kind: 'like_ring',
        campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f',
        userId: '9d2b1f4e-3c5a-4e7b-8f1d-2a6c9e0b7d31',
        nickname: '小明',
        evidence: { members: ['…'], insideLikes: 36, insideShare: 1, rateOverBase: 6 },
        status: 'open',
        detectedAt: '2026-11-11T04:00:00.000Z',
        resolvedAt: null,
        resolvedBy: null,
      },
    ],
  },
);
export type FraudFlag = Static<typeof FraudFlag>;

export const FraudFlagQuery = Type.Object({
  ...AdminPageQuery.properties,
  status: Type.Optional(FraudFlagStatus),
  kind: Type.Optional(FraudKind),
  campaignId: Type.Optional(Id),
});
export type FraudFlagQuery = Static<typeof FraudFlagQuery>;

export const FraudScanBody = Type.Object({ campaignId: Type.Optional(Id) }, { examples: [{}] });
export type FraudScanBody = Static<typeof FraudScanBody>;

export const FraudScanResult = Type.Object(
  {
    campaigns: Type.Integer({ description: 'Campaigns scanned for rings and bursts' }),
    suspects: Type.Integer({ description: 'Accounts the rules found (rings, bursts, devices, addresses)' }),
    flagged: Type.Integer({ description: 'Flags added or refreshed (a reviewed flag is never reopened)' }),
  },
  { examples: [{ campaigns: 1, suspects: 6, flagged: 6 }] },
);
export type FraudScanResult = Static<typeof FraudScanResult>;

/** `void` takes back every like the flagged user gave (compensating ledger rows); `dismiss` clears the flag. */
export const FraudReviewBody = Type.Object(
  { action: Type.Union([Type.Literal('void'), Type.Literal('dismiss')]), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { examples: [{ action: 'void', note: 'ring of 4 accounts on one device' }] },
);
export type FraudReviewBody = Static<typeof FraudReviewBody>;

export const FraudReviewResult = Type.Object({
  flag: FraudFlag,
  voidedLikes: Type.Integer({ minimum: 0 }),
  energyReversed: Type.Integer({ minimum: 0 }),
  unbackedRedPackets: Type.Array(UnbackedRedPacket, {
    description: 'Red packets the users who lost energy were already paid on it (they stay paid; listed for follow-up)',
  }),
}, {
  examples: [
    {
      flag: {
        id: 12,
        kind: 'shared_device',
        campaignId: null,
        userId: '9d2b1f4e-3c5a-4e7b-8f1d-2a6c9e0b7d31',
        nickname: '小号3',
        evidence: { deviceId: 'dmi1x2k3abcdefghij', accounts: 4 },
        status: 'voided',
        detectedAt: '2026-11-11T04:00:00.000Z',
        resolvedAt: '2026-11-11T05:30:00.000Z',
        resolvedBy: 'ops-lin',
      },
      voidedLikes: 3,
      energyReversed: 40,
      unbackedRedPackets: [
        {
          id: '88',
          campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f',
          userId: '0b7a1b7e-2f0a-4a51-9d3e-0c5b1c3b1a11',
          teamId: null,
          kind: 'tier',
          tier: 2,
          amount: 588,
          energy: 500,
          energyNow: 470,
          delivery: 'success',
          holdUntil: '2026-11-11T03:30:00.000Z',
          createdAt: '2026-11-11T03:00:00.000Z',
        },
      ],
    },
  ],
});
export type FraudReviewResult = Static<typeof FraudReviewResult>;

// ---- Ledger audit ----

export const LedgerMismatch = Type.Object({
  area: Type.Union([Type.Literal('energy'), Type.Literal('groupbuy'), Type.Literal('redpackets')]),
  kind: Type.String({ examples: ['participant', 'team', 'order_paid', 'group_seats', 'budget'] }),
  id: Type.Union([Type.String(), Type.Null()]),
  kept: Type.Union([Type.Integer(), Type.Null()]),
  actual: Type.Union([Type.Integer(), Type.Null()]),
  problem: Type.String(),
});
export type LedgerMismatch = Static<typeof LedgerMismatch>;

export const LedgerAudit = Type.Object(
  {
    campaignId: Id,
    ok: Type.Boolean(),
    participants: Type.Integer(),
    teams: Type.Integer(),
    energyBalances: Type.Integer({ description: 'Sum of participant balances' }),
    energyLedger: Type.Integer({ description: 'Sum of the campaign energy ledger' }),
    teamBalances: Type.Integer(),
    redPackets: Type.Object({
      budget: Fen,
      paid: Fen,
      budgetLeft: Fen,
      count: Type.Integer({ minimum: 0 }),
      delivered: Type.Integer({ minimum: 0 }),
      pending: Type.Integer({ minimum: 0 }),
      failed: Type.Integer({ minimum: 0, description: 'Refused for good or out of attempts: waiting for an operator' }),
    }),
    mismatches: Type.Array(LedgerMismatch),
    unbackedRedPackets: Type.Array(UnbackedRedPacket, {
      description: 'Not a mismatch (the books agree): red packets paid on energy voided afterwards',
    }),
  },
  {
    examples: [
      {
        campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f',
        ok: true,
        participants: 120,
        teams: 8,
        energyBalances: 4200,
        energyLedger: 4200,
        teamBalances: 4200,
        redPackets: { budget: 100000, paid: 2376, budgetLeft: 97624, count: 4, delivered: 4, pending: 0, failed: 0 },
        mismatches: [],
        unbackedRedPackets: [],
      },
    ],
  },
);
export type LedgerAudit = Static<typeof LedgerAudit>;

// ---- Users ----

export const AdminUserQuery = Type.Object({ openid: Type.String({ minLength: 1, maxLength: 200 }) });
export type AdminUserQuery = Static<typeof AdminUserQuery>;

/** One like as operators see it; `userId` is the other side (the sharer of a like given, the liker of one received). */
export const AdminLike = Type.Object(
  {
    id: Type.Integer(),
    campaignId: Id,
    userId: Id,
    energy: Type.Integer(),
    voided: Type.Boolean({ description: 'Taken back by a fraud review (its ledger rows are compensated)' }),
    createdAt: Timestamp,
  },
  {
    examples: [
      { id: 455, campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', userId: '3f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', energy: 20, voided: false, createdAt: '2026-11-11T04:00:00.000Z' },
    ],
  },
);
export type AdminLike = Static<typeof AdminLike>;

export const AdminLedgerEntry = Type.Object(
  {
    id: Type.Integer(),
    campaignId: Id,
    teamId: Type.Union([Id, Type.Null()]),
    amount: Type.Integer({ description: 'Negative for a `like_voided` row' }),
    reason: Type.String({ examples: ['like', 'new_liker_like', 'group_join', 'like_voided'] }),
    likeId: Type.Union([Type.Integer(), Type.Null()]),
    createdAt: Timestamp,
  },
  {
    examples: [
      { id: 902, campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', teamId: '7e3f2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', amount: 20, reason: 'new_liker_like', likeId: 455, createdAt: '2026-11-11T04:00:00.000Z' },
    ],
  },
);
export type AdminLedgerEntry = Static<typeof AdminLedgerEntry>;

export const AdminUserLedgerQuery = Type.Object({
  ...AdminPageQuery.properties,
  campaignId: Type.Optional(Id),
});
export type AdminUserLedgerQuery = Static<typeof AdminUserLedgerQuery>;

export const AdminUserLikesQuery = Type.Object({
  ...AdminPageQuery.properties,
  side: Type.Union([Type.Literal('given'), Type.Literal('received')], { description: 'Likes the user gave, or received' }),
  campaignId: Type.Optional(Id),
});
export type AdminUserLikesQuery = Static<typeof AdminUserLikesQuery>;

export const AdminUser = Type.Object(
  {
    id: Id,
    openid: Type.String(),
    nickname: Type.String(),
    createdAt: Timestamp,
    energy: Type.Array(Type.Object({ campaignId: Id, energy: Type.Integer() })),
    ledger: Type.Array(AdminLedgerEntry),
    likesGiven: Type.Object({ total: Type.Integer(), recent: Type.Array(AdminLike, { description: 'userId is the sharer' }) }),
    likesReceived: Type.Object({ total: Type.Integer(), recent: Type.Array(AdminLike, { description: 'userId is the liker' }) }),
    teams: Type.Array(Type.Object({ teamId: Id, campaignId: Id, name: Type.String(), role: Type.String(), energy: Type.Integer(), joinedAt: Timestamp })),
    groups: Type.Array(Type.Object({ groupId: Id, campaignId: Id, productId: Id, status: Type.String(), joinedAt: Timestamp, released: Type.Boolean() })),
    orders: Type.Array(Type.Object({ id: Id, groupId: Type.Union([Id, Type.Null()]), status: Type.String(), amount: Type.Integer(), paidAmount: Type.Integer(), refundedAmount: Type.Integer(), createdAt: Timestamp })),
    redPackets: Type.Array(AdminRedPacket),
    fraudFlags: Type.Array(FraudFlag),
  },
  {
    description: 'Everything an operator needs about one user; lists show the most recent 50 (the ledger and the likes page on at /users/:id/ledger and /users/:id/likes)',
    examples: [
      {
        id: '0b7a1b7e-2f0a-4a51-9d3e-0c5b1c3b1a11',
        openid: 'oX8d1sT2kq9mZ3',
        nickname: '小明',
        createdAt: '2026-11-09T12:00:00.000Z',
        energy: [{ campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', energy: 120 }],
        ledger: [
          { id: 902, campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', teamId: '7e3f2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', amount: 20, reason: 'new_liker_like', likeId: 455, createdAt: '2026-11-11T04:00:00.000Z' },
        ],
        likesGiven: { total: 3, recent: [{ id: 460, campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', userId: '9d2b1f4e-3c5a-4e7b-8f1d-2a6c9e0b7d31', energy: 10, voided: false, createdAt: '2026-11-11T05:00:00.000Z' }] },
        likesReceived: { total: 6, recent: [{ id: 455, campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', userId: '3f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f', energy: 20, voided: false, createdAt: '2026-11-11T04:00:00.000Z' }] },
        teams: [{ teamId: '7e3f2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', name: '星河', role: 'captain', energy: 340, joinedAt: '2026-11-10T09:00:00.000Z' }],
        groups: [],
        orders: [],
        redPackets: [
          { id: '88', campaignId: '5b0e7c1e-6a57-4d4c-9a0e-0c8f4b1d2e3f', userId: '0b7a1b7e-2f0a-4a51-9d3e-0c5b1c3b1a11', teamId: null, kind: 'tier', tier: 1, amount: 188, energy: 100, delivery: 'success', holdUntil: '2026-11-11T03:30:00.000Z', createdAt: '2026-11-11T03:00:00.000Z' },
        ],
        fraudFlags: [],
      },
    ],
  },
);
export type AdminUser = Static<typeof AdminUser>;
