/**
 * `pnpm start`: the API with a seeded demo campaign on http://localhost:3000, and the mini-program's
 * H5 preview at `/`. The server comes up first (seconds); the H5 bundle builds beside it on the
 * first start (~50 s here) or is reused when its inputs have not changed, and `/` shows a
 * self-refreshing "building" page meanwhile.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureH5Build } from './ensure-h5.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const port = process.env.PORT || '3000';

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/server.ts')], {
  cwd: root,
  stdio: 'inherit',
  // Readable lines for the person who typed `pnpm start`, even piped into tee; JSON stays the default elsewhere.
  env: {
    ...process.env,
    JIZAN_SEED: process.env.JIZAN_SEED ?? 'demo',
    PORT: port,
    JIZAN_LOG_FORMAT: process.env.JIZAN_LOG_FORMAT ?? (process.env.NODE_ENV === 'production' ? 'json' : 'pretty'),
  },
});

const stop = (signal: NodeJS.Signals) => {
  server.kill(signal);
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
server.on('exit', (code) => process.exit(code ?? 0));

if (process.env.JIZAN_H5_DIR !== 'none') {
  ensureH5Build({ log: (s) => console.log(`[h5] ${s}`) })
    .then(() => console.log(`[h5] preview ready: http://localhost:${port}/`))
    .catch((err: Error) => console.error(`[h5] preview build failed, the API keeps running: ${err.message}`));
}
