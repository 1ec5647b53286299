import type { Executor } from '../../db/client.js';
import { loginEvents } from '../../db/schema/index.js';

export async function insertLoginEvent(ex: Executor, v: { userId: string; ip: string | null; deviceId: string | null; at: Date }): Promise<void> {
  await ex.insert(loginEvents).values({ userId: v.userId, ip: v.ip, deviceId: v.deviceId, createdAt: v.at });
}
