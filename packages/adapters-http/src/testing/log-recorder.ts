import type { FastifyInstance } from 'fastify';
import { tapInject, type Injected } from './inject-tap';

const PERSONAL_FIELDS = new Set(['email', 'firstName', 'lastName', 'phoneNumber']);

/**
 * Records every line apps write at the most talkative level and every personal value their
 * requests send (e-mails, names, phone numbers, metadata), so that a test can prove no such value
 * reaches the log.
 */
export class LogRecorder {
  private readonly lines: string[] = [];
  /** Every personal value the requests sent. */
  readonly sent = new Set<string>();
  private requests = 0;
  /** The logger option of `buildTestApp`: every line into this recorder. */
  readonly logger = {
    level: 'trace',
    stream: { write: (line: string) => void this.lines.push(line) },
  };

  /** Every request of `app.inject` has its personal values noted before it is sent. */
  attach(app: FastifyInstance): void {
    tapInject(app, { before: (request) => this.record(request) });
  }

  private record(options: Injected): void {
    this.requests++;
    const payload = options.payload;
    if (typeof payload === 'string') {
      try {
        this.collect(JSON.parse(payload), false);
      } catch {
        // not JSON: nothing personal the app could read from it
      }
    } else if (payload && !Buffer.isBuffer(payload)) {
      this.collect(payload, false);
    }
    const query = new URLSearchParams(options.url.split('?')[1] ?? '');
    this.collect(Object.fromEntries(query), false);
    this.collect(options.query ?? {}, false);
  }

  private collect(value: unknown, personal: boolean): void {
    if (typeof value === 'string') {
      if (personal && value.trim().length >= 3) this.sent.add(value.trim());
    } else if (Array.isArray(value)) {
      for (const v of value) this.collect(v, personal);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        this.collect(v, personal || PERSONAL_FIELDS.has(k) || k === 'metadata');
      }
    }
  }

  /** The apps really logged (a line per request at least), and no personal value appears. */
  verify(): void {
    const log = this.lines.join('');
    expect(this.requests).toBeGreaterThan(100);
    expect(this.lines.length).toBeGreaterThanOrEqual(this.requests);
    expect(log).toContain('"route":"/users/:userId"');
    expect(log).toMatch(/"reqId":"[0-9a-f-]{36}"/);
    expect(log).toMatch(/"res":\{"statusCode":201\},"responseTime":/);
    expect(this.sent.size).toBeGreaterThan(20);
    // As a word of its own ("Ada" is no leak inside a stack frame's "jestAdapterInit"), raw,
    // JSON-escaped or URL-encoded.
    const wordChar = /[\p{L}\p{N}]/u;
    const appears = (text: string) => {
      for (let at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + 1)) {
        const before = log[at - 1] ?? ' ';
        const after = log[at + text.length] ?? ' ';
        if (!wordChar.test(before) && !wordChar.test(after)) return true;
      }
      return false;
    };
    const leaked = [...this.sent].filter(
      (value) =>
        appears(value) ||
        appears(JSON.stringify(value).slice(1, -1)) ||
        appears(encodeURIComponent(value)),
    );
    expect(leaked).toEqual([]);
    expect(log).not.toMatch(/@example|%40example/i);
  }
}
