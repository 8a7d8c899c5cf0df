import createClient, { type Middleware } from 'openapi-fetch';
import type {
  paths,
  SchemaNewProfile as NewProfile,
  SchemaProblem as Problem,
  SchemaProfileUpdate as ProfileUpdate,
  SchemaProfileMergePatch as ProfileMergePatch,
  SchemaProfilePage as ProfilePage,
  SchemaUserProfile as UserProfile,
  SchemaPhotoUploadRequest as PhotoUploadRequest,
  SchemaUploadTicket as UploadTicket,
  SchemaSuspension as Suspension,
  SchemaSuspensionRequest as SuspensionRequest,
  SchemaChangeEvent as ChangeEvent,
  SchemaEventFeedPage as EventFeedPage,
} from './schema.js';
import { ProblemError, throwProblem, type Result } from './problem-error.js';

export { ProblemError };

// The document's named schemas, as openapi-typescript generates them (--root-types).
export type {
  NewProfile,
  Problem,
  ProfileUpdate,
  ProfileMergePatch,
  ProfilePage,
  UserProfile,
  PhotoUploadRequest,
  UploadTicket,
  Suspension,
  SuspensionRequest,
  ChangeEvent,
  EventFeedPage,
};

export interface ProfileClientOptions {
  /** Where the API is, e.g. `https://abc.execute-api.eu-west-1.amazonaws.com/prod`. */
  readonly baseUrl: string;
  /** The bearer token for each request (a Cognito ID token), or nothing for an open API. */
  readonly token?: () => string | undefined | Promise<string | undefined>;
  /** How many times a create is sent again, with the same Idempotency-Key, after a failure to reach the API or a 503. @default 3 */
  readonly createAttempts?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

type ListQuery = { limit?: number; active?: boolean; suspended?: true };
/** Exactly one of `name`, `email`, `emailDomain`, `username`, with the filters and the cursor. */
type SearchQuery = NonNullable<paths['/users/search']['get']['parameters']['query']>;

/**
 * The user-profile API for an app: typed from the published document (src/schema.ts), with
 * what every caller would otherwise write again. Creates carry an Idempotency-Key and are retried
 * safely; updates and deletes are conditional on the ETag this client last saw of the profile;
 * `PATCH` sends a JSON merge patch; problems are thrown as `ProblemError`s with their codes;
 * `get` answers the cached profile when the server says 304; `pages` walks the list.
 */
export class ProfileClient {
  private readonly api: ReturnType<typeof createClient<paths>>;
  /**
   * The last ETag seen of each id (`me` included, under the profile's own id too), with the
   * profile's own id, and the profile it tags when this client holds that version (not after an
   * answer without a body).
   */
  private readonly seen = new Map<
    string,
    { userId: string; etag: string; profile?: UserProfile }
  >();

  constructor(private readonly options: ProfileClientOptions) {
    this.api = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/$/, ''),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const token = options.token;
    if (token) {
      const bearer: Middleware = {
        async onRequest({ request }) {
          const value = await token();
          if (value) request.headers.set('authorization', `Bearer ${value}`);
          return request;
        },
      };
      this.api.use(bearer);
    }
  }

  /**
   * Creates a profile. The request carries an Idempotency-Key (a new UUID unless given), so that
   * it can be sent again after a network failure or a 503 without creating twice.
   */
  async create(profile: NewProfile, idempotencyKey = crypto.randomUUID()): Promise<UserProfile> {
    const attempts = this.options.createAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.api.POST('/users', {
          body: profile,
          params: { header: { 'idempotency-key': idempotencyKey } },
        });
        if (result.response.status === 503 && attempt < attempts) {
          await pause(retryAfterMs(result.response, attempt));
          continue;
        }
        return this.remember(result);
      } catch (error) {
        if (error instanceof ProblemError || attempt >= attempts) throw error;
        await pause(retryAfterMs(undefined, attempt));
      }
    }
  }

  /** The profile (`me` for the caller's own). Sends If-None-Match when it has one: a 304 answers the cached profile. */
  async get(userId: string): Promise<UserProfile> {
    const known = this.seen.get(userId);
    const cached = known?.profile ? { etag: known.etag, profile: known.profile } : undefined;
    const result = await this.api.GET('/users/{userId}', {
      params: {
        path: { userId },
        header: cached ? { 'if-none-match': cached.etag } : {},
      },
    });
    if (result.response.status === 304 && cached) return cached.profile;
    return this.remember(result, userId);
  }

  /** Replaces the given fields (null removes phoneNumber or metadata), if nobody changed the profile since this client last saw it. */
  async update(userId: string, changes: ProfileUpdate): Promise<UserProfile> {
    const result = await this.api.PUT('/users/{userId}', {
      params: { path: { userId }, header: this.ifMatch(userId) },
      body: changes,
    });
    return this.remember(result, userId);
  }

  /** Applies a JSON merge patch (RFC 7396), if nobody changed the profile since this client last saw it. */
  async patch(userId: string, patch: ProfileMergePatch): Promise<UserProfile> {
    const result = await this.api.PATCH('/users/{userId}', {
      params: { path: { userId }, header: this.ifMatch(userId) },
      body: patch,
      headers: { 'content-type': 'application/merge-patch+json' },
      bodySerializer: (body) => JSON.stringify(body),
    });
    return this.remember(result, userId);
  }

  /** Deletes the profile, if nobody changed it since this client last saw it. */
  async delete(userId: string): Promise<void> {
    const result = await this.api.DELETE('/users/{userId}', {
      params: { path: { userId }, header: this.ifMatch(userId) },
    });
    throwProblem(result);
    this.forget(userId);
  }

  /**
   * Makes `file` the profile's photo in the API's three steps: an upload ticket, the upload
   * straight to storage with it (never through the API), and the commit, conditional on the ETag
   * this client last saw. The server decodes the file whatever its declared type: a file that is
   * no usable photo is a `ProblemError` with code `PHOTO_INVALID`.
   */
  async setPhoto(
    userId: string,
    file: Uint8Array | Blob,
    contentType: PhotoUploadRequest['contentType'],
  ): Promise<UserProfile> {
    // A copy: the DOM's Blob takes no view of a SharedArrayBuffer, which a Uint8Array may be.
    const blob = file instanceof Blob ? file : new Blob([file.slice()], { type: contentType });
    const ticket = await this.api.POST('/users/{userId}/photo', {
      params: { path: { userId } },
      body: { contentType, contentLength: blob.size },
    });
    throwProblem(ticket);
    const { url, method, fields, uploadId } = ticket.data!;
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', blob);
    // Storage is not the API: the global fetch, not `options.fetch`.
    const stored = await fetch(url, { method, body: form });
    if (!stored.ok) {
      throw new Error(`The storage refused the upload (${stored.status}): ${await stored.text()}`);
    }
    const result = await this.api.PUT('/users/{userId}/photo', {
      params: { path: { userId }, header: this.ifMatch(userId) },
      body: { uploadId },
    });
    return this.remember(result, userId);
  }

  /**
   * Removes the profile's photo, if nobody changed the profile since this client last saw it.
   * Keeps the new ETag of the answer, so that the next update or delete is conditional on it.
   */
  async removePhoto(userId: string): Promise<void> {
    const result = await this.api.DELETE('/users/{userId}/photo', {
      params: { path: { userId }, header: this.ifMatch(userId) },
    });
    throwProblem(result);
    const etag = result.response.headers.get('etag');
    const keys = this.forget(userId);
    // The answer has no body: the new ETag is kept, with no copy of the profile to answer a 304.
    if (etag) for (const [key, ownId] of keys) this.seen.set(key, { userId: ownId, etag });
  }

  /** The profile with this e-mail address (case-insensitive), or undefined (admins only). */
  async findByEmail(email: string): Promise<UserProfile | undefined> {
    const result = await this.api.GET('/users', { params: { query: { email } } });
    throwProblem(result);
    return result.data?.users[0];
  }

  /** One page of the list, newest first (admins only); a filtered one may be short, even empty. */
  async list(query: ListQuery & { lastKey?: string } = {}): Promise<ProfilePage> {
    const result = await this.api.GET('/users', { params: { query } });
    throwProblem(result);
    return result.data!;
  }

  /**
   * One page of a search (admins only), newest first: by name, e-mail or handle prefix, or e-mail
   * domain, with the same filters as the list and created before/after; `lastKey` goes on.
   */
  async search(query: SearchQuery): Promise<ProfilePage> {
    const result = await this.api.GET('/users/search', { params: { query } });
    throwProblem(result);
    return result.data!;
  }

  /** Every page of the list, newest first, following the cursor (admins only). */
  async *pages(query: ListQuery = {}): AsyncGenerator<UserProfile[]> {
    let lastKey: string | undefined;
    do {
      const page = await this.list({ ...query, ...(lastKey ? { lastKey } : {}) });
      yield page.users;
      lastKey = page.lastKey;
    } while (lastKey);
  }

  /**
   * Suspends the account (admins only) with a reason, and optionally a note and an end; replaces
   * a suspension in force. Its owner's writes are then `ACCOUNT_SUSPENDED` problems.
   */
  async suspend(userId: string, request: SuspensionRequest): Promise<Suspension> {
    const result = await this.api.PUT('/users/{userId}/suspension', {
      params: { path: { userId } },
      body: request,
    });
    throwProblem(result);
    return result.data!;
  }

  /** Lifts the account's suspension in force, if any (admins only). */
  async liftSuspension(userId: string): Promise<void> {
    const result = await this.api.DELETE('/users/{userId}/suspension', {
      params: { path: { userId } },
    });
    throwProblem(result);
  }

  /** Every suspension of the account, oldest first (admins only). */
  async suspensions(userId: string): Promise<Suspension[]> {
    const result = await this.api.GET('/users/{userId}/suspensions', {
      params: { path: { userId } },
    });
    throwProblem(result);
    return result.data!.suspensions;
  }

  /**
   * One page of the change feed (admins only), oldest first: pass its `cursor` back as `after`
   * to go on, also when the page is empty. Deliveries are at least once: dedupe by `id`.
   */
  async events(
    query: { after?: string; types?: ChangeEvent['type'][]; limit?: number } = {},
  ): Promise<EventFeedPage> {
    const { types, ...rest } = query;
    const result = await this.api.GET('/events', {
      params: { query: { ...rest, ...(types ? { types: types.join(',') } : {}) } },
    });
    throwProblem(result);
    return result.data!;
  }

  /** Every page of a profile's history, newest first (its owner and admins). */
  async *history(userId: string, query: { limit?: number } = {}): AsyncGenerator<ChangeEvent[]> {
    let cursor: string | undefined;
    do {
      const result = await this.api.GET('/users/{userId}/history', {
        params: { path: { userId }, query: { ...query, ...(cursor ? { cursor } : {}) } },
      });
      throwProblem(result);
      yield result.data!.events;
      cursor = result.data!.cursor;
    } while (cursor);
  }

  /** The ETag last seen of this profile, as the server sent it (`"3"`). */
  etagOf(userId: string): string | undefined {
    return this.seen.get(userId)?.etag;
  }

  private ifMatch(userId: string): { 'if-match'?: string } {
    const etag = this.seen.get(userId)?.etag;
    return etag ? { 'if-match': etag } : {};
  }

  private remember(result: Result<UserProfile>, asked?: string): UserProfile {
    throwProblem(result);
    const profile = result.data!;
    const etag = result.response.headers.get('etag');
    if (etag) {
      const known = { userId: profile.userId, etag, profile };
      this.seen.set(profile.userId, known);
      if (asked) this.seen.set(asked, known);
    }
    return profile;
  }

  /** Forgets the profile under every id it was seen by; answers those ids, with its own. */
  private forget(userId: string): Map<string, string> {
    const ownId = this.seen.get(userId)?.userId ?? userId;
    const keys = new Map([[userId, ownId]]);
    for (const [key, value] of this.seen) if (value.userId === ownId) keys.set(key, ownId);
    for (const key of keys.keys()) this.seen.delete(key);
    return keys;
  }
}

function retryAfterMs(response: Response | undefined, attempt: number): number {
  const seconds = Number(response?.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 100 * 2 ** attempt;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
