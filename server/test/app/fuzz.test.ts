import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { WECHATPAY_NOTIFY_PATH } from '@jizan/shared';
import { describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../src/modules/auth/tokens.js';
import { campaign, createTeam, login, share, testApp } from '../helper.js';

/**
 * Hostile clients, generated from the OpenAPI document: every route gets params, queries, bodies
 * and headers built from its own schemas and then bent (other UUID spellings, control and bidi
 * characters, huge and deep values, wrong types and content types, tokens of users that do not
 * exist). Whatever arrives, the answer is never a 5xx and every refusal is `{error: {code, message}}`.
 */
const ctx = testApp();
const RUNS_PER_ROUTE = Number(process.env.JIZAN_FUZZ_RUNS ?? 12);

type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; items?: Schema; anyOf?: Schema[]; minimum?: number; maximum?: number; format?: string; maxLength?: number };
interface Operation { parameters?: { in: string; name: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }

const NASTY_TEXT = ['\u0000', '\u202Eevil', '\u200B', '\u3164', 'a\nb', '%00', '../../etc/passwd', "' or 1=1 --", '😀'.repeat(40), 'x'.repeat(5000), '', ' ', '{}', 'null', '-1', '1e309', '\uD800'];

function uuidSpellings(id: string) {
  return fc.constantFrom(id, id.toUpperCase(), `{${id}}`, id.replaceAll('-', ''), `urn:uuid:${id}`, '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', `${id}0`);
}

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, -1, 0, 2 ** 53, 1.5, [], {}, deep(200), ...NASTY_TEXT),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
);

function fromSchema(s: Schema | undefined, ids: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  if (!s) return junk;
  const valid = ((): fc.Arbitrary<unknown> => {
    if (s.enum) return fc.constantFrom(...s.enum);
    if (s.anyOf) return fc.oneof(...s.anyOf.map((x) => fromSchema(x, ids)));
    switch (s.type) {
      case 'string':
        return s.format === 'uuid' ? ids : fc.string({ unit: 'grapheme', maxLength: s.maxLength ?? 30 });
      case 'integer':
        return fc.integer({ min: s.minimum ?? -10, max: Math.min(s.maximum ?? 10_000, 1e9) });
      case 'number':
        return fc.double();
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(fromSchema(s.items, ids), { maxLength: 4 });
      case 'object': {
        const entries = Object.entries(s.properties ?? {}).map(([k, v]) => [k, fromSchema(v, ids)] as const);
        return fc.record(Object.fromEntries(entries), { requiredKeys: s.required ?? [] });
      }
      default:
        return junk;
    }
  })();
  // Mostly well-formed (to get past validation and reach the database), sometimes anything.
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: junk });
}

/** Percent-encodes like a client would; a lone surrogate goes out as its raw WTF-8 bytes, as a hostile client can send. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80').replace(/[^%]/g, (ch) => encodeURIComponent(ch));
  }
}

function textOf(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}

describe('fuzzing every route from the OpenAPI document', () => {
  it('never answers 5xx, and every refusal is in the error shape', async () => {
    const c = await campaign(ctx);
    const sharer = await login(ctx);
    const team = await createTeam(sharer, c.id, 'fuzz');
    const card = await share(sharer, c.id, 'team');
    const me = await login(ctx);
    const ghost = (await issueAccessToken(ctx.app.deps.tokens, '00000000-0000-4000-8000-000000000000', ctx.clock.now())).token;
    const ids = fc.oneof(uuidSpellings(c.id), uuidSpellings(team.id), uuidSpellings(me.id), fc.uuid());
    const tokens = fc.oneof(fc.constant(card), fc.constant(`${card}x`), fc.constantFrom(...NASTY_TEXT), fc.string({ maxLength: 300 }));

    const doc = ctx.app.swagger() as { paths: Record<string, Record<string, Operation>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
    expect(routes.length).toBeGreaterThan(15);

    const found: string[] = [];
    for (const { path, method, op } of routes) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path');
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const request = fc.record({
        params: fc.record(Object.fromEntries(params.map((p) => [p.name, p.schema.format === 'uuid' ? fc.oneof(ids, junk) : fc.oneof(tokens, ids, junk)]))),
        query: fc.record(Object.fromEntries(query.map((p) => [p.name, fromSchema(p.schema, ids)])), { requiredKeys: [] }),
        body: bodySchema ? fromSchema(bodySchema, ids) : fc.option(junk),
        auth: fc.constantFrom(`Bearer ${me.token}`, `Bearer ${ghost}`, undefined, 'Bearer x.y.z', 'Basic abc', `Bearer ${me.token}\u00ff`),
        contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', undefined),
        key: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('k'.repeat(200), 'same-key')), { nil: undefined }),
      });
      const failure = await fc.check(
        fc.asyncProperty(request, async (r) => {
          const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(textOf(r.params[name])));
          const qs = new URLSearchParams(Object.entries(r.query).map(([k, v]) => [k, textOf(v)] as [string, string])).toString();
          const headers: Record<string, string> = {};
          if (r.auth) headers.authorization = r.auth;
          if (r.contentType && r.body !== null && r.body !== undefined) headers['content-type'] = r.contentType;
          if (r.key !== undefined) headers['idempotency-key'] = r.key;
          const opts: InjectOptions = { method: method as InjectOptions['method'], url: qs ? `${url}?${qs}` : url, headers };
          if (r.body !== null && r.body !== undefined && method !== 'GET') opts.payload = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
          const res = await ctx.app.inject(opts);
          expect(res.statusCode, `${method} ${opts.url?.toString().slice(0, 200)} ${res.body.slice(0, 300)}`).toBeLessThan(500);
          if (res.statusCode >= 400 && (path === WECHATPAY_NOTIFY_PATH || path === '/v1/redpackets/wechatpay/transfer-notify') && (res.json() as { code?: unknown }).code !== undefined) {
            // The platform's callback answers in the platform's protocol, {code: "FAIL", message}.
            expect(res.json()).toMatchObject({ code: 'FAIL', message: expect.any(String) });
          } else if (res.statusCode >= 400) {
            const body = res.json() as { error?: { code?: unknown; message?: unknown } };
            expect(typeof body.error?.code).toBe('string');
            expect(typeof body.error?.message).toBe('string');
            expect(String(body.error?.message).length).toBeLessThan(400);
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      if (failure.failed) found.push(`${method} ${path}: ${String(failure.errorInstance).slice(0, 400)} with ${JSON.stringify(failure.counterexample).slice(0, 300)}`);
    }
    expect(found.join("\n\n")).toBe("");
  }, 300_000);
});
