import type autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';

/** autocannon requests that create profiles, each with a new e-mail so that none is refused as taken. */
export function createProfileRequests(path = '/users'): autocannon.Request[] {
  let n = 0;
  const run = randomUUID().slice(0, 8);
  return [
    {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          email: `load-${run}-${n++}@example.com`,
          firstName: 'Load',
          lastName: 'Test',
        }),
      }),
    },
  ];
}
