import type { CognitoSignIn } from './config';

/**
 * Cognito's Hosted UI with the authorization code grant and PKCE (RFC 7636, S256): the console
 * is a public client, with no secret; the verifier stays in this tab's sessionStorage.
 */
const VERIFIER = 'userprofile-admin-pkce-verifier';
const STATE = 'userprofile-admin-pkce-state';

function randomString(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The URL to send the browser to, having kept a new verifier and state for the callback. */
export async function authorizeUrl(auth: CognitoSignIn, storage = sessionStorage): Promise<string> {
  const verifier = randomString();
  const state = randomString(16);
  storage.setItem(VERIFIER, verifier);
  storage.setItem(STATE, state);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge_method: 'S256',
    code_challenge: base64Url(new Uint8Array(digest)),
  });
  return `${auth.domain}/oauth2/authorize?${query}`;
}

/**
 * Exchanges the callback's code for tokens (the ID token is what the API takes), after checking
 * that the state is the one this tab sent. Throws with Cognito's words when it refuses.
 */
export async function exchangeCode(
  auth: CognitoSignIn,
  callback: URLSearchParams,
  storage = sessionStorage,
  fetchFn: typeof fetch = fetch,
): Promise<string> {
  const verifier = storage.getItem(VERIFIER);
  const state = storage.getItem(STATE);
  storage.removeItem(VERIFIER);
  storage.removeItem(STATE);
  const error = callback.get('error_description') ?? callback.get('error');
  if (error) throw new Error(`Cognito refused the sign-in: ${error}`);
  const code = callback.get('code');
  if (!code || !verifier || !state || callback.get('state') !== state) {
    throw new Error('This sign-in was not started here, or has already been used: start again.');
  }
  const response = await fetchFn(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      redirect_uri: auth.redirectUri,
      code,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as { id_token?: string; error?: string };
  if (!response.ok || !body.id_token) {
    throw new Error(`Cognito did not issue a token: ${body.error ?? response.status}`);
  }
  return body.id_token;
}

/** Cognito's logout endpoint, which ends its session and comes back to the console. */
export function logoutUrl(auth: CognitoSignIn): string {
  const query = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.logoutUri });
  return `${auth.domain}/logout?${query}`;
}
