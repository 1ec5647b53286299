import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { ok, platformError, type SimEndpoint } from './endpoint.js';

/**
 * The simulated platform's security risk control (getUserRiskRank). Its judgement is a table a
 * test (or an operator trying the review hold) fills: an openid's rank 0…4, 0 when not set.
 */
export const riskRanks = (sim: { store<T>(key: string, init: () => T): T }): Map<string, number> => sim.store('risk-ranks', () => new Map<string, number>());

export const riskControlEndpoints: SimEndpoint[] = [
  {
    path: '/wxa/getuserriskrank',
    token: true,
    handle({ sim, body }) {
      if (typeof body.appid !== 'string' || body.appid === '') return platformError(47001, 'data format error hint: appid');
      if (typeof body.openid !== 'string' || body.openid === '') return platformError(40003, 'invalid openid');
      if (![0, 1, 2].includes(body.scene as number)) return platformError(47001, 'data format error hint: scene');
      if (typeof body.client_ip !== 'string' || isIP(body.client_ip) === 0) return platformError(47001, 'data format error hint: client_ip');
      return ok({ errmsg: 'getuserriskrank succ', risk_rank: riskRanks(sim).get(body.openid) ?? 0, unoin_id: randomInt(1, 2 ** 31) });
    },
  },
];
