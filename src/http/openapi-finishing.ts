// The last pass over the built OpenAPI document, for what no single route knows: every operation has a unique
// operationId (the name client generators give its method), every response a description that says something, and
// a header that many responses share (X-Request-Id, the rate-limit headers) is defined once, under components.
import { STATUS_CODES } from 'node:http';
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { ERROR_BODY_DESCRIPTION } from './schemas/common.js';

interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: { $ref?: string } } | undefined>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, Response | undefined>;
}
type Paths = Record<string, Record<string, Operation | undefined>>;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** What @fastify/swagger says of a response whose schema has no description. */
const SWAGGER_DEFAULT = 'Default Response';
const ERROR_BODY_REF = '#/components/schemas/ErrorBody';

/** `transforms` with the document finished after their own `transformObject`. */
export function finishingDocument({ transform, transformObject }: { transform: SwaggerTransform; transformObject: SwaggerTransformObject }): {
  transform: SwaggerTransform;
  transformObject: SwaggerTransformObject;
} {
  return {
    transform,
    transformObject(document) {
      const built = transformObject(document);
      const paths = (built.paths ?? {}) as Paths;
      nameUnnamedOperations(paths);
      describeResponses(paths);
      const shared = shareRepeatedHeaders(paths);
      const components = ((built as { components?: { headers?: Record<string, unknown> } }).components ??= {});
      if (Object.keys(shared).length > 0) components.headers = { ...components.headers, ...shared };
      return built;
    },
  };
}

/**
 * Names each operation that has no operationId from its method and path, e.g. `getTenantsTenantIdCustomersCustomerId`
 * for a gateway route (Latchkey's own routes name theirs); a name already taken gets a number.
 */
export function nameUnnamedOperations(paths: Paths): void {
  unshareOperations(paths);
  const taken = new Set<string>();
  for (const [, , operation] of operationsOf(paths)) if (operation.operationId) taken.add(operation.operationId);
  for (const [path, method, operation] of operationsOf(paths)) {
    if (operation.operationId) continue;
    const base = method + path.replace(/^\/api\/v1\/m2m\//, '/').split(/[^A-Za-z0-9]+/).map(capitalized).join('');
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    taken.add(name);
    operation.operationId = name;
  }
}

/** @fastify/swagger gives the methods of one route one operation object: each method gets its own, to be named apart. */
function unshareOperations(paths: Paths): void {
  const seen = new Set<Operation>();
  for (const [path, method, operation] of operationsOf(paths)) {
    if (seen.has(operation)) paths[path]![method] = { ...operation };
    else seen.add(operation);
  }
}

/** A response without a description of its own gets its status's reason phrase (an error answer, with a word on its body). */
export function describeResponses(paths: Paths): void {
  for (const [, , operation] of operationsOf(paths)) {
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (response === undefined) continue;
      const isError = Object.values(response.content ?? {}).some((media) => media?.schema?.$ref === ERROR_BODY_REF);
      const phrase = STATUS_CODES[status] ?? status;
      if (isError && response.description === ERROR_BODY_DESCRIPTION) response.description = `${phrase}: the error body, whose \`code\` says why`;
      else if (response.description === SWAGGER_DEFAULT) response.description = phrase;
    }
  }
}

/**
 * Moves each header that more than one response defines, always alike, to `components.headers` under its name, and
 * points the responses there; returns what it moved.
 */
export function shareRepeatedHeaders(paths: Paths): Record<string, unknown> {
  const seen = new Map<string, { text: string; header: unknown; uses: number } | null>();
  for (const response of responsesOf(paths)) {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const text = JSON.stringify(header);
      const known = seen.get(name);
      if (known === undefined) seen.set(name, { text, header, uses: 1 });
      else if (known !== null && known.text === text) known.uses++;
      else seen.set(name, null); // defined two ways: each response keeps its own
    }
  }
  const shared: Record<string, unknown> = {};
  for (const [name, known] of seen) if (known !== null && known.uses > 1) shared[name] = known.header;
  for (const response of responsesOf(paths)) {
    for (const name of Object.keys(response.headers ?? {})) {
      if (name in shared) response.headers![name] = { $ref: `#/components/headers/${name}` };
    }
  }
  return shared;
}

function* responsesOf(paths: Paths): Generator<Response> {
  for (const [, , operation] of operationsOf(paths)) {
    for (const response of Object.values(operation.responses ?? {})) if (response) yield response;
  }
}

function* operationsOf(paths: Paths): Generator<[path: string, method: string, operation: Operation]> {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) if (METHODS.has(method) && operation) yield [path, method, operation];
  }
}

function capitalized(word: string): string {
  return word.slice(0, 1).toUpperCase() + word.slice(1);
}
