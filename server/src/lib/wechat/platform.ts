import { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../clock.js';
import { WechatSimulator } from '../../sim/wechat/simulator.js';
import { WechatClient } from './client.js';
import { dbTokenStore, redisTokenStore } from './token-store.js';

export interface WechatPlatform {
  client: WechatClient;
  /** The in-process simulator the client talks to when no app is configured (development, tests); null against the real platform. */
  sim: WechatSimulator | null;
  close(): Promise<void>;
}

/**
 * The process's one platform client. With WECHAT_APP_ID/SECRET it talks to WECHAT_API_BASE (the
 * platform by default), its token shared through Redis when REDIS_URL is set, else the database.
 * Without them, outside production, it talks to a simulator started in this process (as the
 * payment simulator is), so `pnpm start` exercises the same code paths.
 */
export async function openWechatPlatform(deps: { config: Config; db: Db; clock: Clock }): Promise<WechatPlatform | null> {
  const { config, db, clock } = deps;
  const redisUrl = config.boards.redisUrl;
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false }) : null;
  redis?.on('error', () => {});
  const store = redis ? redisTokenStore(redis) : dbTokenStore(db);
  let sim: WechatSimulator | null = null;
  let settings = config.wechat;
  if (!settings) {
    if (config.env === 'production') {
      redis?.disconnect();
      return null;
    }
    sim = new WechatSimulator({ now: () => clock.now() });
    await sim.listen();
    settings = sim.clientSettings();
  }
  const client = new WechatClient({ ...settings, store, clock });
  return {
    client,
    sim,
    async close() {
      await sim?.close();
      redis?.disconnect();
    },
  };
}
