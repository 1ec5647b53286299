/**
 * `pnpm start:wechatpay`: `pnpm start` on the real provider's path with no real money. The WeChat
 * Pay v3 simulator runs standalone (sim/wechatpay/main.ts, keys kept in .data/wechatpay-sim), and
 * the server is configured from the merchant.env it writes, exactly as from a real merchant's
 * settings: JIZAN_PAYMENT_PROVIDER=wechatpay, keys from files, notifications over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const port = process.env.PORT || '3000';
const simPort = process.env.JIZAN_WECHATPAY_SIM_PORT || '4010';
const dir = path.join(path.resolve(root, process.env.JIZAN_DATA_DIR || '.data'), 'wechatpay-sim');

const tsx = (file: string, args: string[], env: NodeJS.ProcessEnv, stdio: 'inherit' | 'pipe'): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', path.join(root, file), ...args], { cwd: root, env, stdio: ['ignore', stdio, 'inherit'] });

const sim = tsx(
  'server/src/sim/wechatpay/main.ts',
  ['--port', simPort, '--dir', dir, '--notify-url', `http://127.0.0.1:${port}/v1/payments/wechatpay/notify`],
  process.env,
  'pipe',
);
// The simulator says where its settings are once it listens (its first start makes RSA keys: seconds).
const envFile = await new Promise<string>((resolve, reject) => {
  let out = '';
  sim.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    out += chunk.toString();
    const m = /merchant settings: (.+)\n/.exec(out);
    if (m) resolve(m[1]!.trim());
  });
  sim.once('exit', (code) => reject(new Error(`the WeChat Pay simulator exited with ${code} before it listened`)));
});
const merchant = Object.fromEntries(
  readFileSync(envFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

const app = tsx('scripts/dev/start.ts', [], { ...process.env, ...merchant, JIZAN_PAYMENT_PROVIDER: 'wechatpay', PORT: port }, 'inherit');
const stop = (signal: NodeJS.Signals) => {
  app.kill(signal);
  sim.kill(signal);
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
app.on('exit', (code) => {
  sim.kill('SIGTERM');
  process.exit(code ?? 0);
});
