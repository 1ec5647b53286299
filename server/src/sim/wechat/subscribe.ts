import { fieldLimit } from '../../modules/notifications/template-field-rules.js';
import { ok, platformError, type SimEndpoint } from './endpoint.js';

/** A subscribe message the simulated platform delivered. */
export interface SimSubscribeMessage {
  touser: string;
  templateId: string;
  page: string | null;
  data: Record<string, string>;
  at: Date;
}

export interface SimSubscribeState {
  sent: SimSubscribeMessage[];
  /** openids that refused (or cancelled) every template: 43101. */
  refusing: Set<string>;
  /** Template ids the app has; empty means any. */
  templates: Set<string>;
}

export const subscribeState = (sim: { store<T>(key: string, init: () => T): T }): SimSubscribeState =>
  sim.store<SimSubscribeState>('subscribe', () => ({ sent: [], refusing: new Set(), templates: new Set() }));

export const subscribeEndpoints: SimEndpoint[] = [
  {
    path: '/cgi-bin/message/subscribe/send',
    token: true,
    handle({ sim, body, now }) {
      const state = subscribeState(sim);
      const touser = typeof body.touser === 'string' ? body.touser : '';
      const templateId = typeof body.template_id === 'string' ? body.template_id : '';
      if (!touser) return platformError(40003, 'invalid openid');
      if (!templateId || (state.templates.size > 0 && !state.templates.has(templateId))) return platformError(40037, 'invalid template_id');
      if (state.refusing.has(touser)) return platformError(43101, 'user refuse to accept the msg');
      const raw = body.data && typeof body.data === 'object' ? (body.data as Record<string, unknown>) : null;
      if (!raw || Object.keys(raw).length === 0) return platformError(47003, 'argument invalid! data is empty');
      const data: Record<string, string> = {};
      for (const [key, field] of Object.entries(raw)) {
        const value = field && typeof field === 'object' ? (field as { value?: unknown }).value : undefined;
        if (typeof value !== 'string' || value === '') return platformError(47003, `argument invalid! data.${key}.value is empty`);
        const limit = fieldLimit(key, value);
        if (limit !== null && [...value].length > limit) return platformError(47003, `argument invalid! data.${key}.value invalid`);
        data[key] = value;
      }
      state.sent.push({ touser, templateId, page: typeof body.page === 'string' ? body.page : null, data, at: now });
      return ok({ msgid: 1000 + state.sent.length });
    },
  },
];
