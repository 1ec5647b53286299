import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { exclusively, migrateDatabase, openDatabase, STARTUP_LOCKS, type Database } from './db/client.js';
import { refreshStatistics } from './db/statistics.js';
import jobsPlugin from './jobs/plugin.js';
import { jobDeps } from './jobs/registry.js';
import { systemClock, type Clock } from './lib/clock.js';
import { AppError } from './lib/errors.js';
import { deriveShareSecret } from './lib/secrets.js';
import { routedExchanger, wechatExchanger, type CodeExchanger } from './modules/auth/code-exchange.js';
import adminAccess from './modules/operators/admin-access.js';
import { adminRoutes } from './modules/admin/admin.routes.js';
import { groupBuyAdminRoutes } from './modules/admin/groupbuy-admin.routes.js';
import { insightsRoutes } from './modules/insights/insights.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import type { TokenSettings } from './modules/auth/tokens.js';
import { campaignsRoutes } from './modules/campaigns/campaigns.routes.js';
import { couponsRoutes } from './modules/coupons/coupons.routes.js';
import { groupBuyDeps } from './modules/groupbuy/groupbuy.deps.js';
import { groupBuyRoutes } from './modules/groupbuy/groupbuy.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { parseIdempotencyKey, type Outcome } from './modules/idempotency/idempotency.service.js';
import { leaderboardRoutes } from './modules/leaderboard/leaderboard.routes.js';
import { boardStoreFor } from './modules/leaderboard/leaderboard.service.js';
import { ledgerRoutes } from './modules/ledger/ledger.routes.js';
import { likesRoutes } from './modules/likes/likes.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { messagesAdminRoutes } from './modules/notifications/messages-admin.routes.js';
import { settleCampaign } from './modules/redpackets/redpackets.service.js';
import { redPacketsRoutes } from './modules/redpackets/redpackets.routes.js';
import { payoutsFor } from './modules/redpackets/payouts.js';
import { rewardsAdminRoutes } from './modules/admin/rewards-admin.routes.js';
import { ShareOpenBuffer } from './modules/shares/share-opens.js';
import { sharesRoutes } from './modules/shares/shares.routes.js';
import { standingRoutes } from './modules/standing/standing.routes.js';
import { teamsRoutes } from './modules/teams/teams.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { applyAvatarVerdict } from './modules/users/users.service.js';
import { wechatPushRoute } from './plugins/wechat-push.js';
import { userExists } from './modules/users/users.service.js';
import { diskAvatarStorage } from './modules/users/avatar-storage.js';
import adminUi from './plugins/admin-ui.js';
import authPlugin from './plugins/auth.js';
import dbPlugin from './plugins/db.js';
import docsPlugin from './plugins/docs.js';
import errorsPlugin, { clientErrorHandler, frameworkErrors } from './plugins/errors.js';
import h5Plugin from './plugins/h5.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import securityPlugin from './plugins/security.js';
import validationPlugin from './plugins/validation.js';
import { seedDemo } from './seed/demo.js';
import type { ServiceDeps } from './service-deps.js';
import { contentCheckSettings } from './content-config.js';
import { openWechatPlatform, type WechatPlatform } from './lib/wechat/index.js';
import { wechatCodes, wechatContentCheck } from './lib/wechat-reach.js';

declare module 'fastify' {
  interface FastifyInstance {
    deps: ServiceDeps;
    /** The one chat-platform client (and its simulator outside production); null in production without WECHAT_APP_ID. */
    wechat: WechatPlatform | null;
  }
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
  interface FastifyReply {
    /** Sends an idempotent outcome, marking replays so clients and logs can tell. */
    replay(outcome: Outcome<unknown>): FastifyReply;
  }
}

export interface BuildOptions {
  config: Config;
  /** A database the caller opened (tests share one per file); otherwise one is opened from config. */
  database?: Database;
  clock?: Clock;
  exchanger?: CodeExchanger;
  logger?: FastifyServerOptions['logger'];
}

/** Believes the nearest `hops` proxies (what a hop count means to proxy-addr; fastify's types take no number). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    // Fastify's own request logging writes two lines per request; one (below) is what operators read.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Only the proxies named in configuration may state the client's address (X-Forwarded-For).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (config.requestLog !== 'off') {
    const minStatus = config.requestLog === 'errors' ? 400 : 0;
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode < minStatus) return;
      request.log.info(
        { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
        'request',
      );
    });
  }

  const owned = !opts.database;
  const database = opts.database ?? (await openDatabase(config));
  if (owned) await migrateDatabase(database);
  // Before the first request: a restored or bulk-filled database has no statistics yet, and the
  // plans made without them stay in every connection's statement cache (db/statistics.ts).
  if (owned && database.kind === 'postgres') await refreshStatistics(database.db, { log: app.log.child({ component: 'statistics' }) });

  const clock = opts.clock ?? systemClock;
  const boards = boardStoreFor(database.db, config.boards, app.log.child({ component: 'leaderboards' }));
  await boards.open();
  // After the jobs stop (preClose), so the corrector never runs on a closed connection.
  app.addHook('onClose', async () => {
    await boards.close();
  });
  const wechat = await openWechatPlatform({ config, db: database.db, clock });
  app.decorate('wechat', wechat);
  app.addHook('onClose', async () => {
    await wechat?.close();
  });
  const tokens: TokenSettings = {
    secret: config.jwtSecret,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    ttlSeconds: config.tokenTtlSeconds,
  };
  app.decorate('deps', {
    db: database.db,
    clock,
    exchanger:
      opts.exchanger ??
      routedExchanger({ dev: config.devLogin, platform: config.wechat ? wechatExchanger(config.wechat) : null }),
    tokens,
    shareSecret: await deriveShareSecret(config.jwtSecret),
    avatars: { storage: diskAvatarStorage(path.join(config.dataDir, 'avatars')), allowedHosts: config.avatars.allowedHosts },
    content: contentCheckSettings(config.contentCheck, config.env, config.port, wechat ? wechatContentCheck(wechat.client) : null),
    shareOpens: new ShareOpenBuffer(database.db, {
      onError: (err, lost) => app.log.error({ err, lost }, 'share opens could not be recorded'),
    }),
    boards,
  } satisfies ServiceDeps);
  // Before the database plugin closes the connection the last opens are written with.
  app.addHook('preClose', async () => {
    await app.deps.shareOpens.flush();
  });

  await app.register(errorsPlugin);
  await app.register(securityPlugin, { corsOrigins: config.corsOrigins, imageHosts: config.avatars.allowedHosts });
  await app.register(validationPlugin);
  await app.register(dbPlugin, { database, owned });
  await app.register(authPlugin, { tokens, clock, userExists: (id) => userExists(database.db, id) });
  await app.register(rateLimitPlugin, config.rateLimit);
  await app.register(docsPlugin, { serve: config.docs });

  app.decorateRequest('idempotencyKey', null);
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST') request.idempotencyKey = parseIdempotencyKey(request.headers['idempotency-key']);
  });
  app.decorateReply('replay', function (this: import('fastify').FastifyReply, outcome: Outcome<unknown>) {
    if (outcome.replayed) this.header('idempotent-replayed', 'true');
    return this.status(outcome.statusCode).send(outcome.body);
  });

  await app.register(healthRoutes, {
    deps: { db: database.db, databaseKind: database.kind, readyTimeoutMs: Math.min(2000, config.databaseTimeouts.connectMs) },
  });

  await app.register(authRoutes);
  await app.register(usersRoutes, { avatarMaxBytes: config.avatars.maxBytes });
  // The platform's pushes: a picture's late verdict takes a risky avatar down.
  await app.register(wechatPushRoute, {
    token: config.contentCheck.pushToken,
    clock,
    onMediaVerdict: (v) => applyAvatarVerdict({ db: database.db, clock }, v),
  });
  await app.register(campaignsRoutes);
  await app.register(standingRoutes);
  await app.register(teamsRoutes);
  // One set of group-buy dependencies for its routes, its cards, its jobs and the seed (the dev payment provider is stateful).
  const groupBuy = groupBuyDeps({ config, db: database.db, clock, boards });
  // One set of payouts (the merchant transfer, or its simulator) for the red-packet routes and the jobs.
  const payouts = payoutsFor({ config, db: database.db, clock });
  const jobs = jobDeps({ config, db: database.db, clock, boards, groupBuy, payouts, wechat });
  await app.register(sharesRoutes, { groupBuy, posterCodes: { codes: wechat ? wechatCodes(wechat.client) : null, envVersion: config.posterCodes.envVersion, checkPath: config.posterCodes.checkPath } });
  await app.register(ledgerRoutes);
  await app.register(likesRoutes);
  await app.register(leaderboardRoutes);
  await app.register(groupBuyRoutes, { deps: groupBuy });
  await app.register(notificationsRoutes, { templates: config.subscribe.templates });
  if (config.jobs.inProcess) await app.register(jobsPlugin, { deps: jobs, intervalMs: config.jobs.intervalMs });
  await app.register(redPacketsRoutes, { payouts });
  await app.register(couponsRoutes);
  // The admin API: one encapsulated context whose every route is behind an operator key (see admin-access.ts).
  await app.register(
    async (admin) => {
      await admin.register(adminAccess, { db: database.db, adminKey: config.adminKey, tokens, clock });
      // Settling only splits the pool; its shares are held and paid by the transfer job (refused there without a payout provider).
      const settle = (campaignId: string) => settleCampaign(jobs.redPackets, campaignId);
      await admin.register(adminRoutes, { settle });
      await admin.register(groupBuyAdminRoutes, { groupBuy });
      await admin.register(rewardsAdminRoutes);
      await admin.register(insightsRoutes);
      await admin.register(messagesAdminRoutes, { templates: config.subscribe.templates });
    },
    { prefix: '/admin/v1' },
  );

  await app.register(adminUi);
  if (config.h5Dir) await app.register(h5Plugin, { dir: config.h5Dir, imageHosts: config.avatars.allowedHosts });

  // Start-up steps run before the instance reports ready, each safe when another instance runs
  // it at the same moment: migrations and the seed each hold their own advisory lock.
  if (owned && config.seed === 'demo') {
    const demo = await exclusively(database, STARTUP_LOCKS.seed, () =>
      seedDemo({ ...app.deps, groupBuy }),
    );
    app.log.info({ campaignId: demo.campaignId, created: demo.created }, 'demo campaign ready');
  }
  return app;
}
