import { createHash } from 'node:crypto';
import type { CognitoSignIn } from './config';
import { authorizeUrl, exchangeCode, logoutUrl } from './pkce';

const auth: CognitoSignIn = {
  mode: 'cognito',
  domain: 'https://admin.auth.eu-west-1.amazoncognito.com',
  clientId: 'client-1',
  redirectUri: 'https://console.example.com/admin/callback',
  logoutUri: 'https://console.example.com/admin/',
};

/** sessionStorage's part that PKCE uses, in memory. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  } as Storage;
}

describe("Cognito's Hosted UI with the code grant and PKCE", () => {
  it('sends an S256 challenge of the verifier it keeps, and exchanges the code with that verifier', async () => {
    const storage = memoryStorage();
    const url = new URL(await authorizeUrl(auth, storage));
    expect(url.origin + url.pathname).toBe(`${auth.domain}/oauth2/authorize`);
    const query = Object.fromEntries(url.searchParams);
    expect(query).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: auth.redirectUri,
      code_challenge_method: 'S256',
    });

    let sent: URLSearchParams | undefined;
    const fetchFn = (async (_url: string, init: RequestInit) => {
      sent = new URLSearchParams(init.body as URLSearchParams);
      return Response.json({ id_token: 'h.p.s', access_token: 'a' });
    }) as unknown as typeof fetch;
    const callback = new URLSearchParams({ code: 'c0de', state: query.state! });
    expect(await exchangeCode(auth, callback, storage, fetchFn)).toBe('h.p.s');
    const verifier = sent!.get('code_verifier')!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(query.code_challenge);
    expect(Object.fromEntries(sent!)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'c0de',
    });

    // A code comes back once: the same callback again is refused.
    await expect(exchangeCode(auth, callback, storage, fetchFn)).rejects.toThrow('start again');
  });

  it('refuses a callback whose state is not the one sent, and says why Cognito refused', async () => {
    const storage = memoryStorage();
    await authorizeUrl(auth, storage);
    const never = (async () => {
      throw new Error('no request expected');
    }) as unknown as typeof fetch;
    await expect(
      exchangeCode(auth, new URLSearchParams({ code: 'c', state: 'forged' }), storage, never),
    ).rejects.toThrow('start again');
    await expect(
      exchangeCode(auth, new URLSearchParams({ error: 'access_denied' }), storage, never),
    ).rejects.toThrow('access_denied');
  });

  it('signs out at Cognito and comes back to the console', () => {
    const url = new URL(logoutUrl(auth));
    expect(url.pathname).toBe('/logout');
    expect(url.searchParams.get('logout_uri')).toBe(auth.logoutUri);
  });
});
