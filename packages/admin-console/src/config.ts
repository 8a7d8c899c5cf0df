/**
 * The console's settings, read at run time from `config.json` beside index.html: written by the
 * local server, and by the CDK stack at deployment, so that one build serves every environment.
 */
export type ConsoleConfig = {
  /** The API's base URL; empty: the console's own origin (the local server). */
  readonly apiUrl: string;
  readonly auth: NoSignIn | TokenSignIn | CognitoSignIn;
};

/** The open API (AUTH_MODE=none, local only): nobody signs in. */
type NoSignIn = { readonly mode: 'none' };

/** Locally: an administrator pastes a development token (`pnpm dev-token --admin`). */
type TokenSignIn = { readonly mode: 'token' };

/** In AWS: Cognito's Hosted UI, authorization code with PKCE, by a public app client. */
export type CognitoSignIn = {
  readonly mode: 'cognito';
  /** The Hosted UI's origin, e.g. `https://example.auth.eu-west-1.amazoncognito.com`. */
  readonly domain: string;
  readonly clientId: string;
  /** Where Cognito sends the code back: this console's `/admin/callback`. */
  readonly redirectUri: string;
  /** Where Cognito sends the browser after signing out. */
  readonly logoutUri: string;
};

/** Reads and checks `config.json`; a bad file is an error naming what is wrong. */
export async function loadConfig(url: string): Promise<ConsoleConfig> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return parseConfig(await response.json());
}

export function parseConfig(raw: unknown): ConsoleConfig {
  const value = raw as Partial<ConsoleConfig> | null;
  if (!value || typeof value.apiUrl !== 'string') throw new Error('config.json: apiUrl missing');
  const auth = value.auth as { mode?: string } & Partial<Omit<CognitoSignIn, 'mode'>>;
  if (auth?.mode === 'none' || auth?.mode === 'token') {
    return { apiUrl: value.apiUrl, auth: { mode: auth.mode } };
  }
  if (auth?.mode === 'cognito') {
    for (const key of ['domain', 'clientId', 'redirectUri', 'logoutUri'] as const) {
      if (typeof auth[key] !== 'string' || !auth[key]) throw new Error(`config.json: auth.${key}`);
    }
    return { apiUrl: value.apiUrl, auth: auth as CognitoSignIn };
  }
  throw new Error('config.json: auth.mode must be "none", "token" or "cognito"');
}
