import type { WechatClient } from './wechat/client.js';
import type { ContentCheck, Suggest } from './content-check.js';

/** The content-security port over the one platform client (msg_sec_check and media_check_async, v2). */
export function wechatContentCheck(client: WechatClient): ContentCheck {
  return {
    async checkText(q) {
      const res = await client.post<{ trace_id?: string; result?: { suggest?: Suggest; label?: number } }>('/wxa/msg_sec_check', {
        version: 2,
        openid: q.openid,
        scene: q.scene,
        content: q.content,
        ...(q.nickname ? { nickname: q.nickname } : {}),
      });
      const suggest = res.result?.suggest;
      if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') throw new Error('msg_sec_check answered no result.suggest');
      return { suggest, label: res.result?.label ?? 0, traceId: res.trace_id ?? '' };
    },
    async submitMedia(q) {
      const res = await client.post<{ trace_id?: string }>('/wxa/media_check_async', {
        version: 2,
        openid: q.openid,
        scene: q.scene,
        media_url: q.mediaUrl,
        media_type: 2,
      });
      if (!res.trace_id) throw new Error('media_check_async answered no trace_id');
      return { traceId: res.trace_id };
    },
  };
}

/** The poster codes' port over the platform client: the picture, or the client's typed error. */
export function wechatCodes(client: WechatClient): {
  unlimited(q: { scene: string; page: string; checkPath: boolean; envVersion: string; width: number }): Promise<Buffer>;
} {
  return {
    async unlimited(q) {
      const answer = await client.postBinary('/wxa/getwxacodeunlimit', {
        scene: q.scene,
        page: q.page,
        check_path: q.checkPath,
        env_version: q.envVersion,
        width: q.width,
      });
      return answer.bytes;
    },
  };
}

/** Scene 1 of getUserRiskRank: 营销作弊, the marketing-fraud judgement a reward hold asks for. */
const MARKETING_SCENE = 1;

/** The risk rank port over the platform client: 0 (normal) … 4 (highest), or the client's typed error. */
export function wechatRiskRank(client: WechatClient): (q: { openid: string; clientIp: string }) => Promise<number> {
  return async (q) => {
    const res = await client.post<{ risk_rank?: number }>('/wxa/getuserriskrank', { appid: client.appId, openid: q.openid, scene: MARKETING_SCENE, client_ip: q.clientIp });
    if (!Number.isInteger(res.risk_rank)) throw new Error('getuserriskrank answered no risk_rank');
    return res.risk_rank!;
  };
}
