import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The WeChat Pay v3 simulator as its own process (server/src/sim/wechatpay/main.ts), and the
 * merchant settings it writes, parsed: what a server needs for JIZAN_PAYMENT_PROVIDER=wechatpay
 * against it, as it would read a real merchant's. For `pnpm start:wechatpay` and the browser test.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface SimProcess {
  /** Every WECHATPAY_* setting, JIZAN_WECHATPAY_SIMULATOR_URL and JIZAN_PAYMENT_PROVIDER=wechatpay. */
  env: Record<string, string>;
  stop(): void;
}

export async function startWechatPaySimProcess(opts: { port: number; dir: string; notifyUrl: string; echo?: boolean }): Promise<SimProcess> {
  const sim = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'server/src/sim/wechatpay/main.ts'), '--port', String(opts.port), '--dir', opts.dir, '--notify-url', opts.notifyUrl],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // It says where its settings are once it listens (its first start makes RSA keys: seconds).
  const envFile = await new Promise<string>((resolve, reject) => {
    let out = '';
    sim.stdout.on('data', (chunk: Buffer) => {
      if (opts.echo) process.stdout.write(chunk);
      out += chunk.toString();
      const m = /merchant settings: (.+)\n/.exec(out);
      if (m) resolve(m[1]!.trim());
    });
    sim.once('exit', (code) => reject(new Error(`the WeChat Pay simulator exited with ${code} before it listened`)));
  });
  const settings = readFileSync(envFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return { env: { ...Object.fromEntries(settings), JIZAN_PAYMENT_PROVIDER: 'wechatpay' }, stop: () => void sim.kill('SIGTERM') };
}
