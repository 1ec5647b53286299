import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.js';

/**
 * Closes the database with the app when the app opened it. Services reach the database only
 * through `app.deps.db`, so there is one handle to it.
 */
async function db(app: FastifyInstance, opts: { database: Database; owned: boolean }) {
  if (opts.owned) app.addHook('onClose', async () => opts.database.close());
}

export default fp(db, { name: 'db' });
