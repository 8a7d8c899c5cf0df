import type { RouteId } from './routes';
import { allowedMethods } from './allowed-methods';
import type { RouteHandlers } from './user-routes';

/**
 * The 405 a documented path answers to a method it does not take (app.ts's not-found handler),
 * with its `Allow` as the server computes it (`allowedMethods`) from the routes it serves.
 * OpenAPI describes only the methods a path has, so each operation of the path carries it, saying
 * that it is never the answer to the operation's own method.
 */
export function methodNotAllowed(path: string, served: ReadonlySet<RouteId>) {
  const handlers: RouteHandlers = Object.fromEntries([...served].map((id) => [id, () => null]));
  const allow = allowedMethods(handlers).find((r) => r.pattern.test(path))?.methods;
  if (allow === undefined) throw new Error(`The server answers no method on ${path}`);
  return {
    description: `Problem (405): METHOD_NOT_ALLOWED, the answer on this path to a method it has no operation for (never to this operation's own); Allow names the methods it has.`,
    headers: {
      Allow: {
        schema: { type: 'string', enum: [allow] },
        description: 'The methods of this path.',
        required: true,
      },
    },
    content: {
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    },
  };
}
