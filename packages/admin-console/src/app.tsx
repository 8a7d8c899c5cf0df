import { ProfileClient } from '@userprofile/client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleConfig } from './config';
import { CallbackPage } from './pages/callback';
import { ProfilePage } from './pages/profile';
import { SignInPage } from './pages/sign-in';
import { UsersPage } from './pages/users';
import { logoutUrl } from './pkce';
import { href, navigate, onLinkClick, useRoute } from './router';
import { currentSession, OPEN_SESSION, signOut, type Session } from './session';

/** The console: its header, and the page of the current route (sign-in first when needed). */
export function App({ config }: { config: ConsoleConfig }) {
  const route = useRoute();
  const open = config.auth.mode === 'none';
  const [session, setSession] = useState<Session | undefined>(() =>
    open ? OPEN_SESSION : currentSession(),
  );
  // One client for the tab: it remembers the ETag of each profile it read, for If-Match.
  const api = useMemo(
    () =>
      new ProfileClient({
        baseUrl: config.apiUrl || location.origin,
        token: () => currentSession()?.token || undefined,
      }),
    [config.apiUrl],
  );
  const needsSignIn = !session && route.page !== 'sign-in' && route.page !== 'callback';
  useEffect(() => {
    if (needsSignIn) navigate('sign-in', { replace: true });
  }, [needsSignIn]);

  const leave = () => {
    signOut();
    setSession(undefined);
    if (config.auth.mode === 'cognito') location.assign(logoutUrl(config.auth));
    else navigate('sign-in');
  };
  const signedIn = (next: Session) => {
    setSession(next);
    navigate('', { replace: true });
  };

  return (
    <div onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <nav aria-label="Console">
          <a href={href('')} class="brand">
            User profiles admin
          </a>
          {session && !open ? (
            <span class="who">
              Signed in as {session.subject}{' '}
              <button type="button" onClick={leave}>
                Sign out
              </button>
            </span>
          ) : null}
        </nav>
      </header>
      <main id="main">
        {(route.page === 'sign-in' && !open) || needsSignIn ? (
          <SignInPage config={config} api={api} onSignedIn={signedIn} />
        ) : route.page === 'callback' ? (
          <CallbackPage config={config} query={route.query} onSignedIn={signedIn} />
        ) : route.page === 'profile' ? (
          <ProfilePage api={api} userId={route.userId} />
        ) : (
          <UsersPage api={api} params={'query' in route ? route.query : new URLSearchParams()} />
        )}
      </main>
    </div>
  );
}
