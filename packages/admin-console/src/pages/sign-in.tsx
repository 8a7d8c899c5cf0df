import type { ProfileClient } from '@userprofile/client';
import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../config';
import { authorizeUrl } from '../pkce';
import { ProblemMessage } from '../problem';
import { usePageHeading } from '../router';
import { signIn, signOut, type Session } from '../session';

type Props = {
  config: ConsoleConfig;
  api: ProfileClient;
  onSignedIn: (session: Session) => void;
};

/**
 * Sign-in: Cognito's Hosted UI in AWS; locally, a development token pasted here, checked by
 * asking the API for one profile (an administrator's token may list; anyone else's is refused).
 */
export function SignInPage({ config, api, onSignedIn }: Props) {
  const heading = usePageHeading('Sign in');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (config.auth.mode === 'cognito') {
        location.assign(await authorizeUrl(config.auth));
        return;
      }
      const session = signIn(token);
      if (typeof session === 'string') throw new Error(session);
      try {
        await api.list({ limit: 1 });
      } catch (refused) {
        signOut();
        throw refused;
      }
      onSignedIn(session);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sign-in-title" class="narrow">
      <h1 id="sign-in-title" tabIndex={-1} ref={heading}>
        Sign in
      </h1>
      <form onSubmit={(event) => void submit(event)}>
        {config.auth.mode === 'token' ? (
          <>
            <p id="token-help">
              This server trusts development keys. Make an administrator&apos;s token with{' '}
              <code>pnpm dev-token --admin</code> and paste it here.
            </p>
            <label for="token">Development token</label>
            <textarea
              id="token"
              name="token"
              rows={5}
              required
              aria-describedby="token-help"
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
          </>
        ) : (
          <p>Administrators sign in with the organisation&apos;s account.</p>
        )}
        <ProblemMessage error={error} />
        <button type="submit" disabled={busy}>
          {config.auth.mode === 'token' ? 'Sign in' : 'Sign in with Cognito'}
        </button>
      </form>
    </section>
  );
}
