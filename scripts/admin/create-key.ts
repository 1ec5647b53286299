/**
 * Creates an operator and prints its admin API key once (only its hash is stored; a lost key is
 * replaced by creating another operator), or revokes one. The only way to get a key in production.
 * Both are recorded in the admin audit log.
 *
 *   pnpm admin:key --name alice --scopes read,write
 *   pnpm admin:key --revoke alice
 *
 * Uses DATABASE_URL, or the PGlite folder (JIZAN_DATA_DIR), which only one process may open.
 */
import { parseArgs } from 'node:util';
import { createOperator, revokeOperator } from '@jizan/server/operators';
import { systemClock } from '@jizan/server/clock';
import { loadConfig } from '@jizan/server/config';
import { migrateDatabase, openDatabase } from '@jizan/server/db';

const { values } = parseArgs({ options: { name: { type: 'string' }, scopes: { type: 'string', default: 'read' }, revoke: { type: 'string' } } });
const scopes = (values.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
if (!values.revoke && (!values.name || scopes.length === 0 || scopes.some((s) => s !== 'read' && s !== 'write'))) {
  console.error('Usage: pnpm admin:key --name <operator> --scopes read[,write]   |   pnpm admin:key --revoke <operator>');
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
let exitCode = 0;
try {
  await migrateDatabase(database);
  if (values.revoke) {
    const operator = await revokeOperator({ db: database.db, clock: systemClock }, values.revoke);
    console.log(`Operator "${operator.name}" revoked at ${operator.revokedAt}: its key (${operator.keyPrefix}…) is refused from now on.`);
  } else {
    const { operator, key } = await createOperator({ db: database.db, clock: systemClock }, { name: values.name!, scopes: scopes as ('read' | 'write')[] });
    console.log(`Operator "${operator.name}" (${operator.scopes.join(', ')}) created. Its key, shown only this once:\n\n  ${key}\n`);
  }
} catch (err) {
  console.error((err as Error).message);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
