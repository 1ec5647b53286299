import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { ok, platformError, type SimEndpoint } from './endpoint.js';

/**
 * The simulated platform's content security and mini-program codes. Its judgement is a word
 * list, enough to drive each outcome: a text naming one of RISKY's words is `risky` with that
 * label, one containing 待审核 asks for a `review`, anything else passes. Pictures submitted to
 * media_check_async are kept by trace id; a test (or the push it drives) decides their verdict.
 */
export const RISKY_WORDS: Record<string, number> = { 赌博: 20006, 色情: 20002, 傻瓜: 20003, 加微信: 10001 };
export const REVIEW_WORD = '待审核';

export interface SimMediaCheck {
  traceId: string;
  openid: string;
  mediaUrl: string;
  at: Date;
}

export const mediaChecks = (sim: { store<T>(key: string, init: () => T): T }): SimMediaCheck[] => sim.store<SimMediaCheck[]>('media-checks', () => []);

const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

function v2Fields(body: Record<string, unknown>) {
  if (body.version !== 2) return platformError(47001, 'data format error hint: version must be 2');
  if (typeof body.openid !== 'string' || body.openid === '') return platformError(40003, 'invalid openid');
  if (![1, 2, 3, 4].includes(body.scene as number)) return platformError(40129, 'invalid scene');
  return null;
}

export const contentSecurityEndpoints: SimEndpoint[] = [
  {
    path: '/wxa/msg_sec_check',
    token: true,
    handle({ body }) {
      const bad = v2Fields(body);
      if (bad) return bad;
      const content = typeof body.content === 'string' ? body.content : '';
      if (!content) return platformError(44002, 'empty post data');
      const hit = Object.entries(RISKY_WORDS).find(([w]) => content.includes(w));
      const result = hit ? { suggest: 'risky', label: hit[1] } : content.includes(REVIEW_WORD) ? { suggest: 'review', label: 21000 } : { suggest: 'pass', label: 100 };
      return ok({
        trace_id: randomUUID(),
        result,
        detail: [{ strategy: 'content_model', errcode: 0, suggest: result.suggest, label: result.label, prob: hit ? 90 : 0 }],
      });
    },
  },
  {
    path: '/wxa/media_check_async',
    token: true,
    handle({ sim, body, now }) {
      const bad = v2Fields(body);
      if (bad) return bad;
      if (typeof body.media_url !== 'string' || !/^https?:\/\//.test(body.media_url)) return platformError(47001, 'data format error hint: media_url');
      if (body.media_type !== 1 && body.media_type !== 2) return platformError(47001, 'data format error hint: media_type');
      const traceId = randomUUID();
      mediaChecks(sim).push({ traceId, openid: body.openid as string, mediaUrl: body.media_url, at: now });
      return ok({ trace_id: traceId });
    },
  },
  {
    path: '/wxa/getwxacodeunlimit',
    token: true,
    async handle({ body }) {
      const scene = typeof body.scene === 'string' ? body.scene : '';
      if (!SCENE_CHARS.test(scene)) return platformError(40169, 'invalid length for scene, or the data is not json string');
      const page = typeof body.page === 'string' ? body.page : '';
      if (page.startsWith('/') || page.includes('?')) return platformError(41030, 'invalid page rid');
      const width = typeof body.width === 'number' ? body.width : 430;
      if (width < 280 || width > 1280) return platformError(47001, 'data format error hint: width');
      // The real platform draws its round code; a QR code of the scene keeps the picture readable by any phone.
      const bytes = await QRCode.toBuffer(`jizan-sim:${page}?scene=${scene}`, { type: 'png', width, margin: 1 });
      return { bytes, contentType: 'image/png' };
    },
  },
];
