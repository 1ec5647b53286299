import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, loadConfigOrExit } from '../../../src/config.js';
import { SIMULATED_TEMPLATES } from '../../../src/subscribe-config.js';

const test = { NODE_ENV: 'test', JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789' };
const prod = { NODE_ENV: 'production', JWT_SECRET: 'p-Qm9v4Zr7Tx2Lw8Kp3Nd6Hy1Bc5Fg0Js', WECHAT_APP_ID: 'wx', WECHAT_APP_SECRET: 'sec' };
const templates = (value: unknown) => ({ ...prod, JIZAN_SUBSCRIBE_TEMPLATES: JSON.stringify(value) });
const filled = { templateId: 'Tm-abc_123', page: 'subpackages/groupbuy/group/index?id={groupId}', fields: { thing1: '{product}', time2: '{at}' } };

describe('JIZAN_SUBSCRIBE_TEMPLATES', () => {
  it('reads a valid mapping, and only the keys it names are sent', () => {
    const c = loadConfig(templates({ group_succeeded: filled }));
    expect(c.subscribe.templates).toEqual({ group_succeeded: filled });
    expect(c.subscribe.miniprogramState).toBe('formal');
  });

  it('gives the simulated platform its templates, and a real platform none by default', () => {
    expect(loadConfig(test).subscribe.templates).toEqual(SIMULATED_TEMPLATES);
    expect(loadConfig(prod).subscribe.templates).toEqual({});
    expect(loadConfig({ ...test, WECHAT_APP_ID: 'wx', WECHAT_APP_SECRET: 'sec' }).subscribe.templates).toEqual({});
  });

  it('refuses what the platform or our facts cannot fill, naming the setting', () => {
    const bad: [unknown, RegExp][] = [
      [[1, 2], /JSON object/],
      [{ group_won: filled }, /unknown template "group_won"/],
      [{ group_succeeded: { ...filled, templateId: '' } }, /group_succeeded\.templateId/],
      [{ group_succeeded: { ...filled, fields: {} } }, /group_succeeded\.fields/],
      [{ group_succeeded: { ...filled, fields: { title: '{product}' } } }, /"title" is not a field key/],
      [{ group_succeeded: { ...filled, fields: { thing1: '{refund}' } } }, /thing1 uses \{refund\}/],
      [{ group_succeeded: { ...filled, page: 'pages/x?id={campaignId}' } }, /page uses \{campaignId\}/],
      [{ group_succeeded: { ...filled, page: 'https://example.com' } }, /page must be a mini-program page/],
    ];
    for (const [value, message] of bad) expect(() => loadConfig(templates(value)), JSON.stringify(value)).toThrow(message);
    expect(() => loadConfig({ ...prod, JIZAN_SUBSCRIBE_TEMPLATES: '{not json' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...test, JIZAN_GROUP_REMINDER_MINUTES: 'soon' })).toThrow(/JIZAN_GROUP_REMINDER_MINUTES/);
    expect(() => loadConfig({ ...test, WECHAT_MINIPROGRAM_STATE: 'beta' })).toThrow(/WECHAT_MINIPROGRAM_STATE/);
  });

  it('ends the process with 78 and one line, like every configuration error', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => {
      throw new Error('exited');
    }) as never);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(() => loadConfigOrExit(templates({ group_won: filled }))).toThrow('exited');
      expect(exit).toHaveBeenCalledWith(78);
      expect(error).toHaveBeenCalledWith(expect.stringMatching(/^Configuration error: JIZAN_SUBSCRIBE_TEMPLATES/));
    } finally {
      exit.mockRestore();
      error.mockRestore();
    }
  });
});
