import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RedPacket } from '@jizan/shared';
import { operatorOf } from '../operators/admin-access.js';
import { adminRoute } from '../operators/admin-route.js';
import { releaseReward, rewardsInReview, voidReward } from '../redpackets/redpackets.service.js';

const Reward = Type.Intersect([
  RedPacket,
  Type.Object({ userId: Type.String(), nickname: Type.String({ description: "The claimant's nickname, for the operator deciding" }), teamId: Type.Union([Type.String(), Type.Null()]), energy: Type.Integer(), reason: Type.String() }),
]);
const REWARD_EXAMPLE = {
  id: '42',
  campaignId: '6f1c2b9e-8d4a-4c1e-9a7b-3e2f1d0c9b8a',
  kind: 'tier',
  tier: 1,
  amount: 188,
  delivery: 'review',
  holdUntil: '2026-11-11T04:30:00.000Z',
  createdAt: '2026-11-11T04:00:00.000Z',
  userId: '0b7e4d3c-2a1f-4e5d-8c9b-7a6f5e4d3c2b',
  nickname: '小雨',
  teamId: null,
  energy: 20,
  reason: 'open fraud flags: shared_device',
};
const RewardList = Type.Object({ items: Type.Array(Reward) }, { example: { items: [REWARD_EXAMPLE] } });
const RewardParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const RewardDecisionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { example: { note: '同一设备多号点赞' } });

/** The review hold's queue for operators: rewards the fraud checks flagged, released or voided by hand (audited). */
export const rewardsAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = adminRoute(app);

  app.get(
    '/rewards',
    admin.read({
      operationId: 'adminListRewards',
      summary: 'Cash rewards waiting for review (status=review): flagged by the fraud checks during their hold, oldest first, with why',
      querystring: Type.Object({ status: Type.Literal('review') }),
      response: { 200: RewardList },
    }),
    async () => ({ items: await rewardsInReview(app.deps.db) }),
  );

  app.post(
    '/rewards/:id/release',
    admin.write({
      operationId: 'adminReleaseReward',
      summary: 'Release a reward in review: its cash goes by merchant transfer at the next pass (audited)',
      params: RewardParams,
      body: RewardDecisionBody,
      response: { 200: Type.Object({ released: Type.Boolean() }, { example: { released: true } }) },
    }),
    async (request) => {
      await releaseReward(app.deps, operatorOf(request), Number(request.params.id), request.body.note ?? '');
      return { released: true };
    },
  );

  app.post(
    '/rewards/:id/void',
    admin.write({
      operationId: 'adminVoidReward',
      summary: 'Void a reward in review: nothing is paid and its amount returns to the budget by a compensating row (audited)',
      params: RewardParams,
      body: RewardDecisionBody,
      response: { 200: Type.Object({ returned: Type.Integer() }, { example: { returned: 188 } }) },
    }),
    async (request) => voidReward(app.deps, operatorOf(request), Number(request.params.id), request.body.note ?? ''),
  );
};
