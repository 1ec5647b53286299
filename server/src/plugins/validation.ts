import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Bodies are checked strictly (a number where a string belongs is an error, not coerced), while
 * query strings and params, which arrive as text, are coerced to their declared types.
 */
async function validation(app: FastifyInstance) {
  const common = { allErrors: true, removeAdditional: true, useDefaults: true, strict: false } as const;
  const strict = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const coercing = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );
}

export default fp(validation, { name: 'validation' });
