import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** OpenAPI generated from the same schemas that validate requests, so the docs cannot drift. */
/**
 * The document is always built (the fuzzer and the linter read `app.swagger()`); serving it and
 * the UI is off in production unless configured, so the API's map is not handed to everyone.
 */
async function docs(app: FastifyInstance, opts: { serve: boolean }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Jizan API',
        description: 'Teams, share cards, likes and the energy ledger of a 集赞 campaign.',
        version: '1.0.0',
        contact: { name: 'Jizan contributors' },
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      // Relative: clients generated from this document call the host that served it.
      servers: [{ url: '/', description: 'The server that serves this document' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          // The admin API (/admin/v1) takes an operator key in the same header, never a user's token.
          operatorKey: { type: 'http', scheme: 'bearer', bearerFormat: 'jzk_… operator key' },
        },
      },
      security: [{ bearer: [] }],
    },
    transformObject: (doc) => ('openapiObject' in doc ? withCsvLists(doc.openapiObject) : doc.swaggerObject),
  });
  if (!opts.serve) return;
  // staticCSP: the UI's pages carry their own policy (checked in Chromium); the UI sets a few
  // inline styles, and nothing may frame it.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) =>
      header.replace("style-src 'self' https:", "style-src 'self' https: 'unsafe-inline'").replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

interface Media {
  schema?: { properties?: Record<string, { type?: string; items?: { properties?: Record<string, unknown> } }> };
  example?: unknown;
}
type Paths = Record<string, { get?: { responses?: Record<string, { content?: Record<string, Media> }> } }>;

/**
 * Every admin list (a 200 page of `{items, nextCursor}` under /admin/v1) also answers `Accept:
 * text/csv` with the whole list (operators/paging.ts); this says so in the document, with its columns.
 */
export function withCsvLists<D extends object>(doc: D): D {
  const paths = ((doc as { paths?: unknown }).paths ?? {}) as Paths;
  for (const [url, item] of Object.entries(paths)) {
    const content = url.startsWith('/admin/v1/') ? item.get?.responses?.['200']?.content : undefined;
    const props = content?.['application/json']?.schema?.properties;
    if (!content || !props?.nextCursor || props.items?.type !== 'array') continue;
    const columns = Object.keys(props.items.items?.properties ?? {});
    content['text/csv'] = {
      schema: { type: 'string', description: 'With `Accept: text/csv`: every row of the list, streamed page by page (RFC 4180, a header line first)' } as Media['schema'],
      example: `${columns.join(',')}\r\n…`,
    };
  }
  return doc;
}

export default fp(docs, { name: 'docs' });
