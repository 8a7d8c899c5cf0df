import type { Suspension } from '@userprofile/client';

/**
 * The suspension in force, if any, from the history (oldest first): the last one, unless it was
 * lifted or has reached its end. The profile's own `blocked` says the same when it was read after
 * the change; the history is read beside it on every load, so this is what the page shows.
 */
export function inForce(suspensions: Suspension[], now = Date.now()): Suspension | undefined {
  const last = suspensions.at(-1);
  if (!last || last.liftedAt) return undefined;
  return last.until && Date.parse(last.until) <= now ? undefined : last;
}
