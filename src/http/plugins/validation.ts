// Schema validation: bodies are checked strictly as sent (no coercion, no defaults filled into them,
// unknown fields refused); query strings and path parameters are text, so they are coerced.
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import type { TSchema } from 'typebox';

function ajv(options: Options, shared: readonly TSchema[]): Ajv {
  // `verbose` gives each error its schema, so that a size limit can be said with both bounds (error handler).
  const instance = new Ajv({ allErrors: true, strict: false, removeAdditional: false, verbose: true, ...options });
  addFormats.default(instance);
  for (const schema of shared) instance.addSchema(schema);
  return instance;
}

export function registerValidation(app: FastifyInstance, shared: readonly TSchema[]): void {
  const strict = ajv({ coerceTypes: false, useDefaults: false }, shared);
  const coercing = ajv({ coerceTypes: 'array', useDefaults: true }, shared);
  app.setValidatorCompiler(({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) => {
    if (httpPart !== 'body') return coercing.compile(schema as object);
    const validate = strict.compile(schema as object);
    // No body at all (Fastify passes it as null) is checked as an empty object: fine where every field is optional, a list of
    // missing fields where some are required.
    return (data: unknown) => {
      const valid = validate(data === undefined || data === null ? {} : data);
      return valid ? true : { error: Object.assign(new Error('body validation failed'), { validation: validate.errors ?? [], validationContext: 'body' }) };
    };
  });
}
