import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemoryChangeEventStore, InMemoryWebhookRegistry } from '@userprofile/domain/testing';
import { buildTestApp } from '../testing/test-app';
import { PROBLEM_CODES } from './problem';

/**
 * docs/api.md's tables are prose around the served document and the problem codes; this holds
 * them to both, so that a route, a status or a code cannot be added without its row.
 */
const apiMd = readFileSync(join(__dirname, '../../../../docs/api.md'), 'utf8');

/** The rows of the markdown table that follows `heading`, as cells. */
function table(heading: string): string[][] {
  const after = apiMd.slice(apiMd.indexOf(heading));
  const lines = after.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

type Operations = Record<string, Record<string, { responses: Record<string, unknown> }>>;
const JWT = { AUTH_MODE: 'jwt', AUTH_ISSUER: 'https://issuer.example.com', AUTH_AUDIENCE: 'app' };

/** Each operation of the served documents (both modes) with every status either documents. */
async function documentedStatuses(): Promise<Map<string, Set<string>>> {
  const statuses = new Map<string, Set<string>>();
  for (const env of [{}, JWT]) {
    // Every route, the change feed's too (as the published document has them).
    const { app } = await buildTestApp(
      { events: new InMemoryChangeEventStore(), webhooks: new InMemoryWebhookRegistry() },
      env,
    );
    const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Operations };
    await app.close();
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const key = `${method.toUpperCase()} ${path}`;
        const set = statuses.get(key) ?? new Set<string>();
        for (const status of Object.keys(operation.responses)) set.add(status);
        statuses.set(key, set);
      }
    }
  }
  return statuses;
}

/** The operations a route row names: `GET /users/{userId}`, `GET /users?email=` is `GET /users`. */
function operationsOf(cell: string): string[] {
  return [...cell.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)[^`]*`/g)]
    .map(([, method, path]) => `${method} ${path!.replace('/users/me', '/users/{userId}')}`)
    .filter((op, i, all) => all.indexOf(op) === i);
}

describe('docs/api.md, held to the code', () => {
  it('lists every problem code of PROBLEM_CODES, and no other', () => {
    const codes = table('### Problem types').map((row) => row[1]!.replaceAll('`', ''));
    expect([...new Set(codes)].sort()).toEqual([...PROBLEM_CODES].sort());
  });

  it('has a row for every operation of the served documents, naming each status they document for it (beyond those every operation has)', async () => {
    const documented = await documentedStatuses();
    expect(documented.size).toBeGreaterThan(10);
    // What every operation may answer is said once, in the paragraph above the table.
    const routes = apiMd.slice(apiMd.indexOf('## Routes'));
    const paragraph = routes.slice(0, routes.indexOf('\n|'));
    const everywhere = new Set(paragraph.match(/\b[1-5]\d\d\b/g) ?? []);
    expect(everywhere.size).toBeGreaterThan(3);
    const listed = new Map<string, Set<string>>();
    for (const [route, success, errors] of table('## Routes')) {
      for (const operation of operationsOf(route!)) {
        const set = listed.get(operation) ?? new Set<string>();
        for (const status of `${success} ${errors}`.match(/\b[1-5]\d\d\b/g) ?? []) set.add(status);
        listed.set(operation, set);
      }
    }
    expect([...listed.keys()].sort()).toEqual([...documented.keys()].sort());
    const disagreements = [...documented].flatMap(([operation, statuses]) => {
      const row = listed.get(operation) ?? new Set<string>();
      return [
        ...[...statuses]
          .filter((s) => !everywhere.has(s) && !row.has(s))
          .map((s) => `${operation}: ${s} documented, not in the table`),
        ...[...row]
          .filter((s) => !statuses.has(s))
          .map((s) => `${operation}: ${s} in the table, not documented`),
      ];
    });
    expect(disagreements).toEqual([]);
  });
});
