import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { tapInject } from './inject-tap';

/** A response as the checks need it: from app.inject or from a Lambda's proxy result. */
export interface Exchange {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

interface Operation {
  responses: Record<
    string,
    {
      content?: Record<string, { schema?: object }>;
      headers?: Record<string, { required?: boolean }>;
    }
  >;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, object> };
}

/**
 * Holds responses to the served OpenAPI document as a generated client would: the operation of
 * the request, the status among its documented responses, the media type among the response's,
 * the body valid against its schema, the documented required headers present. Answers one line
 * per disagreement (none when the response is what the document says).
 */
export class OpenApiConformance {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    // OpenAPI 3.0 schemas: ajv knows `nullable`; not strict about annotations it does not know.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(toAjv(doc) as object, 'openapi.json');
  }

  /** The disagreements of one exchange with the document. */
  check(method: string, url: string, res: Exchange): string[] {
    const path = url.split('?')[0]!.replace(/\/$/, '') || '/';
    // A literal path before a templated one, as the router matches: `/users/public` first.
    const template = Object.keys(this.doc.paths)
      .sort((a, b) => Number(a.includes('{')) - Number(b.includes('{')))
      .find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
    const where = `${method} ${url} -> ${res.statusCode}`;
    if (!template) return []; // not an operation of the API (an unknown route): nothing promised
    const operation = this.doc.paths[template]![method.toLowerCase()];
    // A method the path does not have: its 405 is the one the path's operations document, held
    // to it by openapi-method-not-allowed.test.ts.
    if (!operation) return [];
    const documented = operation.responses[String(res.statusCode)] ?? operation.responses.default;
    if (!documented) return [`${where}: status not documented for ${method} ${template}`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if (header.required && res.headers[name.toLowerCase()] === undefined) {
        problems.push(`${where}: documented header ${name} missing`);
      }
    }
    if (res.body === '' || method === 'HEAD') return problems;
    const mediaType = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    const content = documented.content?.[mediaType];
    if (!content) {
      const listed = Object.keys(documented.content ?? {}).join(', ') || 'no body';
      return [...problems, `${where}: served ${mediaType}, documented ${listed}`];
    }
    if (content.schema) {
      const key = `${template} ${method} ${res.statusCode} ${mediaType}`;
      let validate = this.validators.get(key);
      if (!validate) {
        validate = this.ajv.compile(toAjv(content.schema) as object);
        this.validators.set(key, validate);
      }
      if (!validate(JSON.parse(res.body))) {
        problems.push(`${where}: body does not match: ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    return problems;
  }
}

/** Local `#/components/...` references made absolute, so that any part of the document compiles. */
function toAjv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAjv);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `openapi.json${v}` : toAjv(v),
      ]),
    );
  }
  return value;
}

/**
 * One conformance check shared by every suite that holds answers to a document: each answer is
 * recorded with its disagreements (ids replaced by `<id>`, so that the same one counts once), and
 * `verify` fails on any disagreement, or when fewer answers than expected were checked.
 */
export class ConformanceRecorder {
  readonly disagreements = new Set<string>();
  checked = 0;

  constructor(private conformance?: OpenApiConformance) {}

  /** Holds an answer to the document. */
  record(method: string, url: string, res: Exchange): void {
    if (!this.conformance) throw new Error('no document to hold answers to: attach an app first');
    this.checked++;
    for (const d of this.conformance.check(method, url, res)) {
      this.disagreements.add(d.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>'));
    }
  }

  /**
   * Every response of `app.inject` held to the document: the one given at construction, else
   * the first app's own `/openapi.json`.
   */
  async attach(app: FastifyInstance): Promise<void> {
    this.conformance ??= new OpenApiConformance(
      (await app.inject({ url: '/openapi.json' })).json() as OpenApiDocument,
    );
    tapInject(app, {
      after: (request, response) => this.record(request.method, request.url, response),
    });
  }

  verify(atLeast: number): void {
    expect(this.checked).toBeGreaterThan(atLeast);
    expect([...this.disagreements].sort()).toEqual([]);
  }
}
