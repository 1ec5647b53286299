import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';

/** Process work only: read config, build (migrations and seed included), listen, close gracefully on signals. */
async function main() {
  const config = loadConfigOrExit();
  // Humans at a terminal get readable lines; everything else (CI, production) gets JSON.
  const pretty = config.env === 'development' && process.stdout.isTTY;
  const app = await buildApp({
    config,
    logger: { level: config.logLevel, ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}) },
  });
  const close = async (signal: string) => {
    app.log.info({ signal }, 'closing');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
