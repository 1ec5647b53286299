import { bigserial, check, index, pgTable, primaryKey, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, instant, uuidPk } from './columns.js';
import { campaigns } from './campaigns.js';
import { groupBuys } from './groupbuy.js';
import { teams } from './teams.js';
import { users } from './users.js';

/** A share card (invitation) a user sent into a chat; friends act on it through its token. */
export const shares = pgTable(
  'shares',
  {
    id: uuidPk(),
    token: text('token').notNull().unique(),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    sharerId: uuid('sharer_id').notNull().references(() => users.id),
    /** The sharer's team when the card was made (a `team` card always has one). */
    teamId: uuid('team_id').references(() => teams.id),
    kind: text('kind', { enum: ['like', 'team', 'groupbuy'] }).notNull(),
    /** A `groupbuy` card's group: the one a friend joins from it. */
    groupId: uuid('group_id').references((): AnyPgColumn => groupBuys.id),
    ...createdAt,
  },
  (t) => [
    index('shares_campaign_sharer_idx').on(t.campaignId, t.sharerId),
    check('shares_group_check', sql`(${t.kind} = 'groupbuy') = (${t.groupId} is not null)`),
  ],
);

/** Every time a card is opened: the top of the funnel. Anonymous opens have no viewer. */
export const shareOpens = pgTable(
  'share_opens',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    shareId: uuid('share_id').notNull().references(() => shares.id),
    viewerId: uuid('viewer_id').references(() => users.id),
    openedAt: instant('opened_at').notNull().defaultNow(),
    /** How the card reached the viewer: the chat card itself, a poster's code, or Moments. */
    channel: text('channel', { enum: ['card', 'poster', 'moments'] }).notNull().default('card'),
  },
  (t) => [
    index('share_opens_share_idx').on(t.shareId),
    check('share_opens_channel_check', sql`${t.channel} in ('card', 'poster', 'moments')`),
    // For the insights rollup's "opens since" scans; BRIN because opens arrive in time order.
    index('share_opens_opened_brin').using('brin', t.openedAt),
  ],
);

/**
 * The relationship chain: inviter → invitee, one edge per invitee per campaign, written by the
 * first card a user opens while still new to the campaign and never moved afterwards.
 */
export const invitations = pgTable(
  'invitations',
  {
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    inviteeId: uuid('invitee_id').notNull().references(() => users.id),
    inviterId: uuid('inviter_id').notNull().references(() => users.id),
    shareId: uuid('share_id').notNull().references(() => shares.id),
    ...createdAt,
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.inviteeId] }),
    index('invitations_inviter_idx').on(t.campaignId, t.inviterId),
  ],
);

/**
 * A poster code's `scene`: the platform's unlimited code carries at most 32 visible characters,
 * too few for a share token, so the code carries this short key and the share page trades it for
 * the token. One per card; it stops resolving at `expiresAt` (a while after the campaign ends),
 * while the printed code itself never expires.
 */
export const shareScenes = pgTable('share_scenes', {
  scene: text('scene').primaryKey(),
  shareId: uuid('share_id')
    .notNull()
    .unique()
    .references(() => shares.id),
  expiresAt: instant('expires_at').notNull(),
  ...createdAt,
});
