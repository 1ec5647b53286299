/**
 * `pnpm start:wechatpay`: `pnpm start` on the real provider's path with no real money. The WeChat
 * Pay v3 simulator runs standalone (keys kept in .data/wechatpay-sim), and the server is configured
 * from the merchant.env it writes, exactly as from a real merchant's settings:
 * JIZAN_PAYMENT_PROVIDER=wechatpay, keys from files, notifications over HTTP.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWechatPaySimProcess } from './wechatpay-sim-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const port = process.env.PORT || '3000';
const sim = await startWechatPaySimProcess({
  port: Number(process.env.JIZAN_WECHATPAY_SIM_PORT || 4010),
  dir: path.join(path.resolve(root, process.env.JIZAN_DATA_DIR || '.data'), 'wechatpay-sim'),
  notifyUrl: `http://127.0.0.1:${port}/v1/payments/wechatpay/notify`,
  echo: true,
});

const app = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/dev/start.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...sim.env, PORT: port },
});
const stop = (signal: NodeJS.Signals) => {
  app.kill(signal);
  sim.stop();
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
app.on('exit', (code) => {
  sim.stop();
  process.exit(code ?? 0);
});
