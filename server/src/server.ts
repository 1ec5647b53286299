import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';
import { seedDevOperator } from './seed/demo.js';

/** Process work only: read config, build (migrations and seed included), listen, close gracefully on signals. */
async function main() {
  const config = loadConfigOrExit();
  const pretty = config.logFormat === 'pretty';
  const app = await buildApp({
    config,
    logger: { level: config.logLevel, ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}) },
  });
  // Never in production: there operator keys come only from `pnpm admin:key`. An upsert, so two
  // instances starting at once both print the same key.
  if (config.seed === 'demo' && config.env !== 'production') {
    const key = await seedDevOperator(app.deps);
    console.log(`Admin API: http://localhost:${config.port}/admin/v1 with "Authorization: Bearer ${key}" (dev operator, read+write)`);
    console.log(`Operator dashboard: http://localhost:${config.port}/admin/ (paste that key once)`);
  }
  if (config.payment.provider === 'wechatpay') {
    const { apiBase, simulatorUrl, mchid } = config.payment.wechatpay;
    console.log(`Payments: WeChat Pay v3 at ${apiBase}, merchant ${mchid}${simulatorUrl ? ' (the standalone simulator: no real money; the H5 preview pays in its pay sheet)' : ''}.`);
  }
  if (config.payment.provider === 'simulator') {
    console.log('Payments: simulated WeChat Pay v3 (a platform inside this process, with keys of its own; no real money). JIZAN_PAYMENT_PROVIDER=wechatpay with WECHATPAY_* takes real payments.');
  }
  if (config.payment.provider === 'simulator') {
    console.log(`Cash rewards: simulated merchant transfers (商家转账) on that platform, held ${config.redPackets.holdMinutes} min for review (JIZAN_REWARD_HOLD_MINUTES), confirmed in the H5 preview's simulated 确认收款. WECHATPAY_TRANSFER_SCENE_ID with JIZAN_PAYMENT_PROVIDER=wechatpay pays for real.`);
  } else if (config.payment.provider !== 'wechatpay' || !config.redPackets.transferSceneId) {
    console.log('Cash rewards: no payout provider (set JIZAN_PAYMENT_PROVIDER=wechatpay and WECHATPAY_TRANSFER_SCENE_ID): cash claims are refused with PAYOUT_UNAVAILABLE.');
  }
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
