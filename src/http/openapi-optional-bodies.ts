// @fastify/swagger marks every request body `required: true` ("Fastify requires a body when schema.body is
// defined"). Latchkey's routes with `Type.Optional(...)` bodies take none (its JSON parser reads an empty body as
// no body), so the document says `required: false` for them, and generated clients need not send `{}`.
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { IsOptional, type TSchema } from 'typebox';

type Operations = Record<string, { requestBody?: { required?: boolean } } | undefined>;

/** The `transform` and `transformObject` options of @fastify/swagger that make optional bodies optional. */
export function optionalBodies(): { transform: SwaggerTransform; transformObject: SwaggerTransformObject } {
  const routes = new Set<string>();
  return {
    transform({ schema, url, route }) {
      if (schema?.body !== undefined && IsOptional(schema.body as TSchema)) {
        // /v1/keys/:keyId -> /v1/keys/{keyId}, as the document names the path.
        const path = url.replace(/:(\w+)/g, '{$1}');
        for (const method of [route.method].flat()) routes.add(`${method.toLowerCase()} ${path}`);
      }
      return { schema, url };
    },
    transformObject(document) {
      const paths = ('openapiObject' in document ? document.openapiObject.paths : undefined) ?? {};
      for (const [path, operations] of Object.entries(paths as Record<string, Operations>)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (operation?.requestBody && routes.has(`${method} ${path}`)) operation.requestBody.required = false;
        }
      }
      return 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
    },
  };
}
