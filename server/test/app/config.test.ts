import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

/** A secret that passes the strength check, different per seed letter. */
const strong = (seed: string) => `${seed}-Qm9v4Zr7Tx2Lw8Kp3Nd6Hy1Bc5Fg0Js`;
const prod = { NODE_ENV: 'production', JWT_SECRET: strong('s'), WECHAT_APP_ID: 'wx', WECHAT_APP_SECRET: 'sec' };

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
    const c = loadConfig({ NODE_ENV: 'test', JWT_SECRET: strong('x'), PORT: '4100', DATABASE_URL: 'postgres://u@h/db' });
    expect(c.devLogin).toBe(true);
    expect(c.port).toBe(4100);
    expect(c.databaseUrl).toBe('postgres://u@h/db');
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: strong('x'), PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', JWT_SECRET: strong('x'), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});

describe('fail-closed configuration', () => {
  const test = { NODE_ENV: 'test', JWT_SECRET: strong('t') };

  it('refuses an unknown NODE_ENV instead of booting a development server', () => {
    for (const v of ['Production', 'prod', 'PRODUCTION', 'staging']) {
      expect(() => loadConfig({ ...prod, NODE_ENV: v })).toThrow(/NODE_ENV/);
    }
    expect(loadConfig({ JWT_SECRET: strong('t') }).env).toBe('development');
  });

  it('refuses secrets that are long but guessable, in every environment', () => {
    for (const weak of [' '.repeat(32), 'a'.repeat(64), 'abab'.repeat(10), '0123456789'.repeat(4), 'password-password-password-passw']) {
      expect(() => loadConfig({ ...prod, JWT_SECRET: weak }), JSON.stringify(weak)).toThrow(/JWT_SECRET/);
    }
    // What `openssl rand -hex 32` and `-base64 32` print passes.
    expect(loadConfig({ ...prod, JWT_SECRET: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }).env).toBe('production');
    expect(loadConfig({ ...prod, JWT_SECRET: 'n4bQgYhMLa3v8zRr+eWcT0u2KjXw9dPq1sFoVy6iZ5E=' }).env).toBe('production');
  });

  it('trusts no proxy by default, and never every hop', () => {
    expect(loadConfig(test).trustProxy).toBe(false);
    expect(loadConfig({ ...test, JIZAN_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...test, JIZAN_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ ...test, JIZAN_TRUST_PROXY: 'true' })).toThrow(/JIZAN_TRUST_PROXY/);
    expect(() => loadConfig({ ...test, JIZAN_TRUST_PROXY: 'proxy.example.com' })).toThrow(/JIZAN_TRUST_PROXY/);
  });

  it('reads Redis, CORS origins, avatar hosts, key lifetime and docs from the environment', () => {
    const c = loadConfig({
      ...test,
      REDIS_URL: 'redis://127.0.0.1:6379',
      JIZAN_CORS_ORIGINS: 'https://a.example, http://localhost:5173',
      JIZAN_AVATAR_HOSTS: 'thirdwx.qlogo.cn',
      JIZAN_IDEMPOTENCY_TTL_HOURS: '6',
    });
    expect(c.rateLimit.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(c.avatars.allowedHosts).toEqual(['thirdwx.qlogo.cn']);
    expect(c.idempotencyTtlHours).toBe(6);
    expect(() => loadConfig({ ...test, REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ...test, JIZAN_CORS_ORIGINS: '*' })).toThrow(/JIZAN_CORS_ORIGINS/);
    expect(loadConfig(prod).docs).toBe(false);
    expect(loadConfig({ ...prod, JIZAN_DOCS: 'on' }).docs).toBe(true);
    expect(loadConfig(test).docs).toBe(true);
  });

  it('logs JSON unless told pretty, and never pretty in production', () => {
    expect(loadConfig(test).logFormat).toBe('json');
    expect(loadConfig(prod).logFormat).toBe('json');
    expect(loadConfig({ ...test, NODE_ENV: 'development', JIZAN_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ ...prod, JIZAN_LOG_FORMAT: 'pretty' })).toThrow(/JIZAN_LOG_FORMAT/);
    expect(() => loadConfig({ ...test, JIZAN_LOG_FORMAT: 'text' })).toThrow(/JIZAN_LOG_FORMAT/);
  });
});
