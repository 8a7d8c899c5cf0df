import type { ResolutionContext } from 'inversify';
import type { Token } from './tokens';

/**
 * A factory binding's function: `new Class(...)` with the services bound to `tokens`, in the
 * constructor's order and checked against its parameter types, so a binding names what it
 * needs once: `bind(TOKENS.RemovePhoto).toDynamicValue(construct(RemovePhoto, TOKENS.Repository,
 * TOKENS.PhotoStore, TOKENS.Clock))`. No decorator, no metadata (ADR 0017).
 */
export function construct<T, A extends unknown[]>(
  Class: new (...args: A) => T,
  ...tokens: { [K in keyof A]: Token<A[K]> }
): (ctx: ResolutionContext) => T {
  return (ctx) => new Class(...(tokens.map((token) => ctx.get(token)) as A));
}
