/** No usable credentials: the answer is 401 with a `WWW-Authenticate: Bearer` challenge. */
export class Unauthenticated extends Error {
  constructor(
    message: string,
    /** RFC 6750's `invalid_token` when a token was sent; none when nothing was. */
    readonly tokenError?: 'invalid_token' | 'invalid_request',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'Unauthenticated';
  }
}

/** The issuer's keys cannot be fetched, so no token can be checked: 503, retry later. */
export class AuthUnavailable extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The token issuer’s keys cannot be fetched right now.', options);
    this.name = 'AuthUnavailable';
  }
}
