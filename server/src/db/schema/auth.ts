import { bigserial, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { users } from './users.js';

/**
 * One row per login: the client's IP and, when the mini-program sends one, its device id
 * (`x-device-id`). Fraud review reads it to find many accounts behind one device or address.
 */
export const loginEvents = pgTable(
  'login_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').notNull().references(() => users.id),
    ip: text('ip'),
    deviceId: text('device_id'),
    ...createdAt,
  },
  (t) => [index('login_events_user_idx').on(t.userId), index('login_events_device_idx').on(t.deviceId), index('login_events_ip_idx').on(t.ip)],
);
