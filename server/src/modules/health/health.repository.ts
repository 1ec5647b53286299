import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

/** The cheapest round trip that proves a connection and a backend able to run a statement. */
export async function ping(ex: Executor): Promise<void> {
  await ex.execute(sql`select 1`);
}
