import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** Every instant is a UTC timestamptz; drizzle hands out Date objects. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = { createdAt: instant('created_at').notNull().defaultNow() };

export const uuidPk = () => uuid('id').primaryKey().defaultRandom();
