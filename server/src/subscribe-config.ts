import { TEMPLATE_KEYS, type TemplateKey } from '@jizan/shared';
import { ConfigError, int, type Env } from './config-values.js';

/**
 * One subscribe-message template as the platform has it: its id, the page a tap opens, and how
 * each of its fields is filled. A field's value is text with `{fact}` holes filled from the
 * message's facts (TEMPLATE_FACTS says which a template has), e.g. `{"thing1": "{product}"}`.
 */
export interface SubscribeTemplate {
  templateId: string;
  /** A mini-program page with `{fact}` holes, e.g. `subpackages/groupbuy/group/index?id={groupId}`; absent: the inbox. */
  page: string | null;
  fields: Record<string, string>;
}

export type SubscribeTemplates = Partial<Record<TemplateKey, SubscribeTemplate>>;

export interface SubscribeConfig {
  /** Configured templates; a key without one is kept in the in-app inbox only. */
  templates: SubscribeTemplates;
  /** How long before a group's end its members are told 还差 N 人 (never earlier than half its window). */
  reminderLeadMinutes: number;
  /** A sharer hears of their friends' likes at most once per this many minutes, in one message. */
  likeBatchMinutes: number;
  /** Sends of one message before it is given up (unreachable platform, busy answers). */
  maxAttempts: number;
  /** `formal`, `trial` or `developer`: which build of the mini-program a tapped message opens. */
  miniprogramState: 'formal' | 'trial' | 'developer';
}

/** The facts each template's fields and page may use (what its producer puts on the message). */
export const TEMPLATE_FACTS: Record<TemplateKey, readonly string[]> = {
  group_succeeded: ['groupId', 'product', 'groupSize', 'price', 'at'],
  group_failed: ['groupId', 'product', 'refund', 'at'],
  group_reminder: ['groupId', 'product', 'missing', 'minutesLeft', 'expiresAt'],
  reward_ready: ['campaignId', 'campaign', 'amount', 'at'],
  transfer_confirm: ['campaignId', 'campaign', 'amount', 'deadline'],
  friend_liked: ['campaignId', 'campaign', 'likes', 'friend', 'at'],
  campaign_again: ['campaignId', 'campaign', 'startsAt', 'endsAt'],
};

/**
 * What the simulated platform (development, tests, `pnpm start` without an app) uses: the
 * simulator accepts any template id, and these fields are the ones the platform's public
 * library templates of these kinds have (thing, number, amount, time, phrase).
 */
export const SIMULATED_TEMPLATES: Record<TemplateKey, SubscribeTemplate> = {
  group_succeeded: {
    templateId: 'sim-group-succeeded',
    page: 'subpackages/groupbuy/group/index?id={groupId}',
    fields: { thing1: '{product}', number2: '{groupSize}', amount3: '{price}', phrase4: '拼团成功', time5: '{at}' },
  },
  group_failed: {
    templateId: 'sim-group-failed',
    page: 'subpackages/groupbuy/group/index?id={groupId}',
    fields: { thing1: '{product}', amount2: '{refund}', phrase3: '拼团失败', thing4: '未成团，款项已原路退回', time5: '{at}' },
  },
  group_reminder: {
    templateId: 'sim-group-reminder',
    page: 'subpackages/groupbuy/group/index?id={groupId}',
    fields: { thing1: '{product}', number2: '{missing}', thing3: '还差{missing}人成团，{minutesLeft}分钟后结束', time4: '{expiresAt}' },
  },
  reward_ready: {
    templateId: 'sim-reward-ready',
    page: 'subpackages/redpackets/mine/index?campaignId={campaignId}',
    fields: { thing1: '{campaign}', amount2: '{amount}', thing3: '红包已可领取，点击领取', time4: '{at}' },
  },
  transfer_confirm: {
    templateId: 'sim-transfer-confirm',
    page: 'subpackages/redpackets/mine/index?campaignId={campaignId}',
    fields: { thing1: '{campaign}', amount2: '{amount}', thing3: '请在截止前确认收款', time4: '{deadline}' },
  },
  friend_liked: {
    templateId: 'sim-friend-liked',
    page: 'pages/home/index?campaignId={campaignId}',
    fields: { thing1: '{campaign}', name2: '{friend}', number3: '{likes}', time4: '{at}' },
  },
  campaign_again: {
    templateId: 'sim-campaign-again',
    page: 'pages/home/index?campaignId={campaignId}',
    fields: { thing1: '{campaign}', time2: '{startsAt}', time3: '{endsAt}' },
  },
};

const FIELD_KEY = /^[a-z_]+[0-9]{1,3}$/;
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const HOLE = /\{([A-Za-z]+)\}/g;

/** The holes a text uses that its template has no fact for. */
function unknownHoles(text: string, facts: readonly string[]): string[] {
  return [...text.matchAll(HOLE)].map((m) => m[1]!).filter((h) => !facts.includes(h));
}

/**
 * JIZAN_SUBSCRIBE_TEMPLATES: a JSON object from our template keys to
 * `{ "templateId": "…", "page": "pages/…?id={groupId}", "fields": { "thing1": "{product}", … } }`.
 * Without it the simulated platform (no WECHAT_APP_ID, outside production) has SIMULATED_TEMPLATES
 * and a real one has none (every message inbox-only), since simulated ids mean nothing to it.
 */
export function subscribeTemplates(raw: string | undefined, simulated: boolean): SubscribeTemplates {
  if (!raw?.trim()) return simulated ? SIMULATED_TEMPLATES : {};
  const name = 'JIZAN_SUBSCRIBE_TEMPLATES';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be a JSON object (our template key → {templateId, page?, fields})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${name} must be a JSON object (our template key → {templateId, page?, fields})`);
  }
  const out: SubscribeTemplates = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(TEMPLATE_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(`${name}: unknown template "${key}"; the keys are ${TEMPLATE_KEYS.join(', ')}`);
    }
    const facts = TEMPLATE_FACTS[key as TemplateKey];
    const t = value as { templateId?: unknown; page?: unknown; fields?: unknown } | null;
    if (!t || typeof t !== 'object' || typeof t.templateId !== 'string' || !TEMPLATE_ID.test(t.templateId)) {
      throw new ConfigError(`${name}.${key}.templateId must be the platform's template id (letters, digits, - and _)`);
    }
    if (t.page !== undefined && t.page !== null && (typeof t.page !== 'string' || !/^[a-z0-9_/-]+(\?.*)?$/i.test(t.page))) {
      throw new ConfigError(`${name}.${key}.page must be a mini-program page such as subpackages/groupbuy/group/index?id={groupId}`);
    }
    const page = typeof t.page === 'string' ? t.page : null;
    if (page && unknownHoles(page, facts).length) {
      throw new ConfigError(`${name}.${key}.page uses {${unknownHoles(page, facts).join('}, {')}}; ${key} has ${facts.join(', ')}`);
    }
    if (!t.fields || typeof t.fields !== 'object' || Array.isArray(t.fields) || Object.keys(t.fields).length === 0) {
      throw new ConfigError(`${name}.${key}.fields must map the template's field keys (thing1, time2…) to text with {fact} holes`);
    }
    const fields: Record<string, string> = {};
    for (const [field, text] of Object.entries(t.fields as Record<string, unknown>)) {
      if (!FIELD_KEY.test(field)) throw new ConfigError(`${name}.${key}.fields: "${field}" is not a field key such as thing1 or time2`);
      if (typeof text !== 'string' || text === '') throw new ConfigError(`${name}.${key}.fields.${field} must be non-empty text`);
      const unknown = unknownHoles(text, facts);
      if (unknown.length) throw new ConfigError(`${name}.${key}.fields.${field} uses {${unknown.join('}, {')}}; ${key} has ${facts.join(', ')}`);
      fields[field] = text;
    }
    out[key as TemplateKey] = { templateId: t.templateId, page, fields };
  }
  return out;
}

export function subscribeConfig(env: Env, nodeEnv: string, simulated: boolean): SubscribeConfig {
  const state = env.WECHAT_MINIPROGRAM_STATE || (nodeEnv === 'production' ? 'formal' : 'developer');
  if (state !== 'formal' && state !== 'trial' && state !== 'developer') {
    throw new ConfigError(`WECHAT_MINIPROGRAM_STATE must be formal, trial or developer, got "${state}"`);
  }
  return {
    templates: subscribeTemplates(env.JIZAN_SUBSCRIBE_TEMPLATES, simulated),
    reminderLeadMinutes: int(env, 'JIZAN_GROUP_REMINDER_MINUTES', 60, 1),
    likeBatchMinutes: int(env, 'JIZAN_LIKE_BATCH_MINUTES', 30, 1),
    maxAttempts: int(env, 'JIZAN_MESSAGE_MAX_ATTEMPTS', 6, 1),
    miniprogramState: state,
  };
}
