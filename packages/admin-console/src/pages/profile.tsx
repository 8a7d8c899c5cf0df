import type { ChangeEvent, ProfileClient, Suspension, UserProfile } from '@userprofile/client';
import { useEffect, useState } from 'preact/hooks';
import { formatDate, pretty, statusOf } from '../format';
import { ProblemMessage } from '../problem';
import { href, usePageHeading } from '../router';
import { AppMetadataForm, EraseForm, PhotoActions, SuspensionActions } from './profile-actions';

/** What the profile page shows: the profile as read (with its ETag), suspensions and history. */
export type Loaded = {
  profile: UserProfile;
  etag: string | undefined;
  suspensions: Suspension[];
  history: ChangeEvent[];
};

async function load(api: ProfileClient, userId: string): Promise<Loaded> {
  const profile = await api.get(userId);
  const [suspensions, history] = await Promise.all([
    api.suspensions(userId),
    api.history(userId, { limit: 20 }).next(),
  ]);
  return { profile, etag: api.etagOf(userId), suspensions, history: history.value ?? [] };
}

/** One user: fields, photo, the three metadata tiers, suspensions, history, and the actions. */
export function ProfilePage({ api, userId }: { api: ProfileClient; userId: string }) {
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState('');
  const name = loaded ? `${loaded.profile.firstName} ${loaded.profile.lastName}` : 'User';
  const heading = usePageHeading(name);
  const reload = (message = '') =>
    load(api, userId).then(
      (next) => {
        setLoaded(next);
        setError(undefined);
        setDone(message);
      },
      (failure: unknown) => setError(failure),
    );
  useEffect(() => {
    setLoaded(undefined);
    void reload();
  }, [userId]);

  return (
    <article aria-labelledby="profile-title">
      <p>
        <a href={href('')}>Back to users</a>
      </p>
      <h1 id="profile-title" tabIndex={-1} ref={heading}>
        {name}
      </h1>
      <p role="status" class="done">
        {done}
      </p>
      <ProblemMessage error={error} />
      {loaded ? (
        <div class="profile">
          <Fields loaded={loaded} />
          <PhotoActions api={api} loaded={loaded} reload={reload} />
          <Metadata profile={loaded.profile} />
          <AppMetadataForm api={api} loaded={loaded} reload={reload} />
          <SuspensionActions api={api} loaded={loaded} reload={reload} />
          <History events={loaded.history} />
          <EraseForm api={api} loaded={loaded} />
        </div>
      ) : error ? null : (
        <p>Loading…</p>
      )}
    </article>
  );
}

function Fields({ loaded: { profile, etag } }: { loaded: Loaded }) {
  const rows: [string, string | undefined][] = [
    ['User id', profile.userId],
    ['E-mail', profile.email],
    ['Handle', profile.username],
    ['Phone', profile.phoneNumber],
    ['Locale', profile.locale],
    ['Time zone', profile.timeZone],
    ['Status', statusOf(profile)],
    ['Created', formatDate(profile.createdAt)],
    ['Updated', formatDate(profile.updatedAt)],
    ['Version (ETag)', `${profile.version} (${etag ?? 'none'})`],
  ];
  return (
    <section aria-labelledby="fields-title">
      <h2 id="fields-title">Profile</h2>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value ?? '—'}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Metadata({ profile }: { profile: UserProfile }) {
  return (
    <section aria-labelledby="metadata-title">
      <h2 id="metadata-title">Metadata</h2>
      <h3>The owner&apos;s (metadata)</h3>
      <pre tabIndex={0} aria-label="The owner's metadata">
        {pretty(profile.metadata)}
      </pre>
      <h3>Public (publicMetadata)</h3>
      <pre tabIndex={0} aria-label="Public metadata">
        {pretty(profile.publicMetadata)}
      </pre>
    </section>
  );
}

function History({ events }: { events: ChangeEvent[] }) {
  return (
    <section aria-labelledby="history-title" class="wide">
      <h2 id="history-title">History</h2>
      {events.length ? (
        <table>
          <caption>The latest changes, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">By</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td>{formatDate(event.time)}</td>
                <td>{event.type}</td>
                <td>{event.actor.kind}</td>
                <td>{event.changed?.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No change recorded yet (events appear within a few seconds).</p>
      )}
    </section>
  );
}
