import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, uuidPk } from './columns.js';
import { campaigns } from './campaigns.js';
import { users } from './users.js';

export const teams = pgTable(
  'teams',
  {
    id: uuidPk(),
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    captainId: uuid('captain_id').notNull().references(() => users.id),
    name: text('name').notNull(),
    /** Kept equal to the team's ledger sum in the same transaction as each ledger row. */
    energy: bigint('energy', { mode: 'number' }).notNull().default(0),
    /** Seats taken; the join guard increments it only while it is below the campaign's limit. */
    memberCount: integer('member_count').notNull().default(1),
    /**
     * The name the captain asked for while the content check has not passed it (platform
     * unreachable or human review): `name` meanwhile is a neutral stand-in everyone may see.
     */
    pendingName: text('pending_name'),
    ...createdAt,
  },
  (t) => [
    check('teams_energy_check', sql`${t.energy} >= 0`),
    check('teams_member_count_check', sql`${t.memberCount} >= 1`),
    // The team board in listing order (ties by id), so its top rows are read off the index with
    // no sort whatever the planner believes about the campaign's size. A team is looked up by id
    // alone, which only the primary key answers, so this index needs no `energy > 0` guard.
    index('teams_board_idx').on(t.campaignId, t.energy.desc(), t.id),
    index('teams_pending_name_idx').on(t.id).where(sql`${t.pendingName} is not null`),
  ],
);

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id').notNull().references(() => teams.id),
    /** Repeated from the team so that "one team per user per campaign" is a unique index. */
    campaignId: uuid('campaign_id').notNull().references(() => campaigns.id),
    userId: uuid('user_id').notNull().references(() => users.id),
    role: text('role', { enum: ['captain', 'member'] }).notNull(),
    joinedAt: instant('joined_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('team_members_one_team_per_campaign').on(t.campaignId, t.userId),
    index('team_members_team_idx').on(t.teamId),
  ],
);
