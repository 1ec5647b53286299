import {
  MOMENT_TEMPLATES,
  SUBSCRIBE_IDS_PER_ASK,
  SUBSCRIBE_MOMENTS,
  TEMPLATE_KEYS,
  type MySubscriptionsResponse,
  type SubscribeResult,
  type TemplateKey,
} from '@jizan/shared';
import type { Db, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { runOnce, type Idempotency, type Outcome } from '../idempotency/idempotency.service.js';
import type { SubscribeTemplates } from '../../subscribe-config.js';
import { creditsOf, grantCredit } from './credits.repository.js';

export interface SubscriptionDeps {
  db: Db;
  clock: Clock;
  templates: SubscribeTemplates;
}

/** The configured templates with my credits, and the template ids each moment asks for. */
export async function mySubscriptions(deps: { db: Executor; templates: SubscribeTemplates }, userId: string): Promise<MySubscriptionsResponse> {
  const credits = await creditsOf(deps.db, userId);
  const configured = TEMPLATE_KEYS.filter((k) => deps.templates[k]);
  const idOf = (k: TemplateKey) => deps.templates[k]!.templateId;
  const moments = Object.fromEntries(
    SUBSCRIBE_MOMENTS.map((m) => [
      m,
      [...new Set(MOMENT_TEMPLATES[m].filter((k) => deps.templates[k]).map(idOf))].slice(0, SUBSCRIBE_IDS_PER_ASK),
    ]),
  ) as MySubscriptionsResponse['moments'];
  return {
    templates: configured.map((key) => ({ key, templateId: idOf(key), credits: credits[key] ?? 0 })),
    moments,
  };
}

/** The template keys a requestSubscribeMessage result accepted (ids we do not know are someone else's). */
export function acceptedKeys(templates: SubscribeTemplates, result: SubscribeResult): TemplateKey[] {
  return TEMPLATE_KEYS.filter((k) => {
    const t = templates[k];
    return t !== undefined && result[t.templateId] === 'accept';
  });
}

/**
 * Records what the user accepted: one send credit per accepted one-time template. Under the
 * Idempotency-Key (when sent) so a retried post does not count one acceptance twice.
 */
export async function recordSubscriptions(
  deps: SubscriptionDeps,
  req: { userId: string; result: SubscribeResult; idempotency: Idempotency },
): Promise<Outcome<MySubscriptionsResponse>> {
  return runOnce(deps, { ...req.idempotency, userId: req.userId, statusCode: 200 }, async (tx) => {
    const now = deps.clock.now();
    for (const key of acceptedKeys(deps.templates, req.result)) await grantCredit(tx, req.userId, key, now);
    return mySubscriptions({ db: tx, templates: deps.templates }, req.userId);
  });
}
