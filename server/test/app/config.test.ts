import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const prod = { NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40), WECHAT_APP_ID: 'wx', WECHAT_APP_SECRET: 'sec' };

describe('configuration at boot', () => {
  it('refuses dev logins in production', () => {
    expect(() => loadConfig({ ...prod, JIZAN_DEV_LOGIN: 'on' })).toThrow(ConfigError);
    expect(loadConfig(prod).devLogin).toBe(false);
  });

  it('requires a real signing key and platform credentials in production', () => {
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ ...prod, WECHAT_APP_ID: '', WECHAT_APP_SECRET: '' })).toThrow(/WECHAT_APP_ID/);
  });

  it('turns dev logins on by default outside production and honours PORT and DATABASE_URL', () => {
    const c = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), PORT: '4100', DATABASE_URL: 'postgres://u@h/db' });
    expect(c.devLogin).toBe(true);
    expect(c.port).toBe(4100);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
