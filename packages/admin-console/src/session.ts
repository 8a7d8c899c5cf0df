/**
 * The signed-in administrator's token, kept in sessionStorage: gone when the tab closes, never
 * shared with another tab, never in a cookie the API would have to guard against CSRF.
 */
const KEY = 'userprofile-admin-token';

export type Session = {
  readonly token: string;
  readonly subject: string;
  readonly expiresAt?: Date;
};

/** The open API's (AUTH_MODE=none): no token, anyone may do anything. */
export const OPEN_SESSION: Session = { token: '', subject: 'anyone (AUTH_MODE=none)' };

/** The session, or undefined when there is none or its token has expired. */
export function currentSession(now = Date.now()): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  const session = token ? sessionOf(token) : undefined;
  if (session?.expiresAt && session.expiresAt.getTime() <= now) {
    signOut();
    return undefined;
  }
  return session;
}

/** Keeps a token for this tab; answers what it says, or an error message when it is no JWT. */
export function signIn(token: string): Session | string {
  const session = sessionOf(token.trim());
  if (!session) return 'That is not a token: paste the whole JWT (three parts separated by dots).';
  sessionStorage.setItem(KEY, session.token);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/** The token's claims that the console shows; the API alone checks the signature. */
function sessionOf(token: string): Session | undefined {
  const payload = token.split('.')[1];
  if (!payload || token.split('.').length !== 3) return undefined;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      sub?: unknown;
      email?: unknown;
      exp?: unknown;
    };
    const subject = typeof claims.email === 'string' ? claims.email : String(claims.sub ?? '?');
    const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
    return { token, subject, ...(expiresAt ? { expiresAt } : {}) };
  } catch {
    return undefined;
  }
}
