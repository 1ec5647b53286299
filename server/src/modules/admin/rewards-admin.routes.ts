import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RedPacket } from '@jizan/shared';
import { operatorOf } from '../operators/admin-access.js';
import { adminRoute } from '../operators/admin-route.js';
import { releaseReward, rewardsInReview, voidReward } from '../redpackets/redpackets.service.js';

const Reward = Type.Intersect([
  RedPacket,
  Type.Object({ userId: Type.String(), teamId: Type.Union([Type.String(), Type.Null()]), energy: Type.Integer(), reason: Type.String() }),
]);
const RewardParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const RewardDecisionBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) });

/** The review hold's queue for operators: rewards the fraud checks flagged, released or voided by hand (audited). */
export const rewardsAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = adminRoute(app);

  app.get(
    '/rewards',
    admin.read({
      operationId: 'adminListRewards',
      summary: 'Cash rewards waiting for review (status=review): flagged by the fraud checks during their hold, oldest first, with why',
      querystring: Type.Object({ status: Type.Literal('review') }),
      response: { 200: Type.Object({ items: Type.Array(Reward) }) },
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
      response: { 200: Type.Object({ released: Type.Boolean() }) },
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
      response: { 200: Type.Object({ returned: Type.Integer() }) },
    }),
    async (request) => voidReward(app.deps, operatorOf(request), Number(request.params.id), request.body.note ?? ''),
  );
};
