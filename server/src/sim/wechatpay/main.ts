import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadOrCreateSimKeys, merchantEnv } from './keys.js';
import { startWechatPaySimulator } from './simulator.js';
import { SimTransfers } from './transfers.js';

/**
 * The simulator on a port of its own, for a server started with JIZAN_PAYMENT_PROVIDER=wechatpay:
 *   tsx server/src/sim/wechatpay/main.ts --port 4010 --dir .data/wechatpay-sim \
 *     --notify-url http://127.0.0.1:3000/v1/payments/wechatpay/notify
 * Keys persist in --dir, so a restarted simulator and a server configured from its files agree;
 * <dir>/merchant.env holds every WECHATPAY_* setting that server needs, and the simulator's URL
 * for the H5 preview's pay and 确认收款 sheets.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    dir: { type: 'string', default: '.data/wechatpay-sim' },
    'notify-url': { type: 'string', default: 'http://127.0.0.1:3000/v1/payments/wechatpay/notify' },
    mode: { type: 'string', default: 'public-key' },
  },
});

const dir = path.resolve(values.dir);
const keys = loadOrCreateSimKeys(dir);
const sim = await startWechatPaySimulator({
  keys,
  port: Number(values.port),
  host: values.host,
  mode: values.mode === 'certificate' ? 'certificate' : 'public-key',
});
// The same merchant pays red packets out by merchant transfer, as on the platform.
SimTransfers.of(sim);
sim.keepAlive();
const env = merchantEnv(keys, { dir, apiBase: sim.url, notifyUrl: values['notify-url'] });
const envFile = path.join(dir, 'merchant.env');
writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
console.log(`WeChat Pay simulator (payments are simulated, no money moves) at ${sim.url}`);
console.log(`merchant settings: ${envFile}`);

const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
