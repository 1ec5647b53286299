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
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
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

export default fp(docs, { name: 'docs' });
