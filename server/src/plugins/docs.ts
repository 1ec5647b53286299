import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** OpenAPI generated from the same schemas that validate requests, so the docs cannot drift. */
async function docs(app: FastifyInstance) {
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
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export default fp(docs, { name: 'docs' });
