import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../db/client.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

/** Shares one database handle with every module; closes it with the app when the app owns it. */
async function db(app: FastifyInstance, opts: { database: Database; owned: boolean }) {
  app.decorate('database', opts.database);
  if (opts.owned) app.addHook('onClose', async () => opts.database.close());
}

export default fp(db, { name: 'db' });
