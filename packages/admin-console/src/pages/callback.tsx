import { useEffect, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../config';
import { exchangeCode } from '../pkce';
import { ProblemMessage } from '../problem';
import { href, usePageHeading } from '../router';
import { signIn, type Session } from '../session';

type Props = {
  config: ConsoleConfig;
  query: URLSearchParams;
  onSignedIn: (session: Session) => void;
};

/** Where Cognito comes back with a code: exchanged for the ID token (PKCE), then the users. */
export function CallbackPage({ config, query, onSignedIn }: Props) {
  const heading = usePageHeading('Signing in');
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (config.auth.mode !== 'cognito') {
      setError(new Error('This console signs in with a development token.'));
      return;
    }
    exchangeCode(config.auth, query)
      .then((token) => {
        const session = signIn(token);
        if (typeof session === 'string') throw new Error(session);
        onSignedIn(session);
      })
      .catch(setError);
    // Once: a code can be exchanged only once.
  }, []);
  return (
    <section class="narrow">
      <h1 tabIndex={-1} ref={heading}>
        Signing in
      </h1>
      {error ? (
        <>
          <ProblemMessage error={error} />
          <a href={href('sign-in')}>Back to sign-in</a>
        </>
      ) : (
        <p role="status">Checking the sign-in with Cognito…</p>
      )}
    </section>
  );
}
