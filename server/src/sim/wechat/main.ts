import { parseArgs } from 'node:util';
import { startWechatSimulator } from './simulator.js';

/**
 * The chat platform simulator on a port of its own, for a server run against it:
 *   tsx server/src/sim/wechat/main.ts --port 4020
 * then WECHAT_APP_ID, WECHAT_APP_SECRET and WECHAT_API_BASE as printed.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4020' },
    host: { type: 'string', default: '127.0.0.1' },
    'app-id': { type: 'string' },
    'app-secret': { type: 'string' },
  },
});
const sim = await startWechatSimulator({
  port: Number(values.port),
  host: values.host,
  appId: values['app-id'],
  appSecret: values['app-secret'],
});
sim.keepAlive();
console.log(`Chat platform simulator at ${sim.url}`);
console.log(`WECHAT_APP_ID=${sim.appId} WECHAT_APP_SECRET=${sim.appSecret} WECHAT_API_BASE=${sim.url}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
