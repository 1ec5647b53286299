import type { Clock } from '../../lib/clock.js';
import type { NotificationAnswer } from '../../lib/wechatpay/notification.js';
import { generateSimKeys, type SimKeys } from './keys.js';
import { WechatPaySimulator } from './simulator.js';

/**
 * The WeChat Pay simulator living in this process, one per clock: the app, its jobs and a test's
 * own service calls on one clock are one merchant on one platform (two instances of a test share
 * it, as two real instances share WeChat Pay), its payments and its merchant transfers alike, and
 * the platform's time is that clock's, so a test that moves its clock moves the platform's too.
 * Notifications are handed to the receiver registered for their notify URL, signed and encrypted
 * as the route would get them.
 */
export interface InProcessPlatform {
  sim: WechatPaySimulator;
  /** Notification receivers by notify URL: each app (instance) registers its own. */
  receivers: Map<string, (headers: Record<string, string>, rawBody: string) => Promise<NotificationAnswer>>;
}

/** Generating two RSA keys is the slow part; one set per process serves every simulated platform. */
let keys: SimKeys | null = null;
export const inProcessKeys = (): SimKeys => (keys ??= generateSimKeys());

const platforms = new WeakMap<Clock, Promise<InProcessPlatform>>();
let receiverCount = 0;

/** A notify URL no other receiver in this process has, ending in the route's path. */
export const inProcessNotifyUrl = (path: string): string => `http://127.0.0.1/in-process/${++receiverCount}${path}`;

const lowerCased = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

export function inProcessPlatform(clock: Clock): Promise<InProcessPlatform> {
  let p = platforms.get(clock);
  if (!p) {
    const receivers: InProcessPlatform['receivers'] = new Map();
    const sim = new WechatPaySimulator({
      keys: inProcessKeys(),
      now: () => clock.now(),
      post: async (url, body, headers) => {
        const receive = receivers.get(url);
        if (!receive) return { status: null, body: `no receiver at ${url}` };
        const answer = await receive(lowerCased(headers), body);
        return { status: answer.status, body: answer.body ? JSON.stringify(answer.body) : '' };
      },
    });
    p = sim.listen(0, '127.0.0.1').then(() => ({ sim, receivers }));
    platforms.set(clock, p);
  }
  return p;
}
