import { newWebhookSecret } from '@userprofile/adapters-webhooks';
import {
  newUserProfile,
  type UserProfileRepository,
  type WebhookRegistry,
} from '@userprofile/domain';
import { EXAMPLE_FIXTURES, EXAMPLE_WEBHOOK_FIXTURES } from '../http/examples';

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  example?: unknown;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, unknown>;
}
/** The part of an OpenAPI document the examples are read from. */
export interface ExampleDocument {
  paths: Record<string, Record<string, Operation>>;
}

/** One request made of a document's examples, and the success the document promises for it. */
export interface ExampleRequest {
  readonly operationId: string;
  readonly method: string;
  /** The path as the document has it: `/users/{userId}`. */
  readonly path: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The operation's documented success: its lowest 2xx status. */
  readonly expected: number;
}

/** Every parameter and request body of the document without an example, one line each. */
export function missingExamples(doc: ExampleDocument): string[] {
  const missing: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const p of operation.parameters ?? []) {
        if (p.example === undefined) missing.push(`${method} ${path} ${p.in} ${p.name}`);
      }
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        if (media.example === undefined) missing.push(`${method} ${path} body ${type}`);
      }
    }
  }
  return missing;
}

/** Search keys other than the first, by path: each is asked on its own, the rest together. */
const SEARCH_ALTERNATIVES: Readonly<Record<string, readonly string[]>> = {
  '/users/search': ['email', 'emailDomain', 'username'],
};

/**
 * The requests the document's examples make: per operation, its path, header and body examples,
 * and each query parameter's example on its own (the list's are alternatives: `email` finds one
 * profile, `lastKey` pages, `suspended` lists another index), or none where it has no query; a
 * search's `name` with all its filters together, and each other search key on its own.
 */
export function exampleRequests(doc: ExampleDocument): ExampleRequest[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      const url = parameters
        .filter((p) => p.in === 'path')
        .reduce((u, p) => u.replace(`{${p.name}}`, encodeURIComponent(String(p.example))), path);
      const headers: Record<string, string> = {};
      for (const p of parameters.filter((p) => p.in === 'header')) {
        headers[p.name] = String(p.example);
      }
      const [type, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      if (type) headers['content-type'] = type;
      const successes = Object.keys(operation.responses).filter((s) => /^2\d\d$/.test(s));
      const base = {
        operationId: operation.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        headers,
        ...(media ? { body: JSON.stringify(media.example) } : {}),
        expected: Math.min(...successes.map(Number)),
      };
      const queries = parameters.filter((p) => p.in === 'query');
      if (queries.length === 0) return [{ ...base, url }];
      const query = (ps: typeof queries) =>
        `${url}?${new URLSearchParams(ps.map((p): [string, string] => [p.name, String(p.example)])).toString()}`;
      const alone = SEARCH_ALTERNATIVES[path];
      if (alone) {
        // A search takes one key with its filters: the others' keys each on their own.
        const together = queries.filter((p) => !alone.includes(p.name));
        return [together, ...alone.map((name) => queries.filter((p) => p.name === name))].map(
          (ps) => ({ ...base, url: query(ps) }),
        );
      }
      return queries.map((p) => ({ ...base, url: query([p]) }));
    }),
  );
}

/** Stores the profiles the examples name (examples.ts), as of `now`. */
export async function storeExampleProfiles(
  repository: UserProfileRepository,
  now = new Date(),
): Promise<void> {
  for (const { userId, ...fields } of EXAMPLE_FIXTURES) {
    await repository.create(newUserProfile(fields, { userId, now }));
  }
}

/** Registers the webhook endpoints the examples name (examples.ts), each with a new secret. */
export async function storeExampleWebhooks(registry: WebhookRegistry): Promise<void> {
  for (const fixture of EXAMPLE_WEBHOOK_FIXTURES) {
    await registry.put({ ...fixture, secrets: [newWebhookSecret()], state: 'enabled' });
  }
}
