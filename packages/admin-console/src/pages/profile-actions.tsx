import type { ProfileClient, Suspension, SuspensionRequest } from '@userprofile/client';
import { useState } from 'preact/hooks';
import { formatDate } from '../format';
import { ProblemMessage } from '../problem';
import { navigate } from '../router';
import { setFlash } from '../flash';
import { inForce } from '../suspension';
import type { Loaded } from './profile';

type ActionProps = { api: ProfileClient; loaded: Loaded; reload: (done?: string) => Promise<void> };

/** Runs an action; its problem, if any, is shown beside it. */
function useAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

/** The photo (its 256 px rendition) and its removal, conditional on the ETag read. */
export function PhotoActions({ api, loaded: { profile }, reload }: ActionProps) {
  const { error, busy, run } = useAction();
  const name = `${profile.firstName} ${profile.lastName}`;
  return (
    <section aria-labelledby="photo-title">
      <h2 id="photo-title">Photo</h2>
      {profile.photo ? (
        <>
          <img src={profile.photo.urls['256']} alt={`Photo of ${name}`} width={128} height={128} />
          <p>Updated {formatDate(profile.photo.updatedAt)}</p>
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await api.removePhoto(profile.userId);
                await reload('The photo was removed.');
              })
            }
          >
            Remove the photo
          </button>
        </>
      ) : (
        <p>No photo.</p>
      )}
      <ProblemMessage error={error} />
    </section>
  );
}

/** The administrators' tier, the one the console edits: replaced whole, If-Match the ETag read. */
export function AppMetadataForm({ api, loaded: { profile }, reload }: ActionProps) {
  const { error, busy, run } = useAction();
  const [text, setText] = useState(() =>
    profile.appMetadata ? JSON.stringify(profile.appMetadata, null, 2) : '',
  );
  const save = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      let value: Record<string, unknown> | null = null;
      if (text.trim()) {
        try {
          value = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new Error('The administrators’ data must be a JSON object, e.g. {"plan": "pro"}.');
        }
      }
      await api.update(profile.userId, { appMetadata: value });
      await reload('The administrators’ data was saved.');
    });
  };
  return (
    <section aria-labelledby="app-metadata-title">
      <h2 id="app-metadata-title">Administrators&apos; data (appMetadata)</h2>
      <form onSubmit={save}>
        <label for="app-metadata">JSON object (empty removes it)</label>
        <textarea
          id="app-metadata"
          rows={5}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <ProblemMessage error={error} />
        <button type="submit" disabled={busy}>
          Save administrators&apos; data
        </button>
      </form>
    </section>
  );
}

const REASONS: SuspensionRequest['reason'][] = ['SPAM', 'ABUSE', 'FRAUD', 'OTHER'];

/** Suspend (a reason, an optional note and end) or lift, and every suspension so far. */
export function SuspensionActions({ api, loaded, reload }: ActionProps) {
  const { error, busy, run } = useAction();
  const [reason, setReason] = useState<SuspensionRequest['reason']>('SPAM');
  const [note, setNote] = useState('');
  const current = inForce(loaded.suspensions);
  const { userId } = loaded.profile;
  const suspend = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await api.suspend(userId, { reason, ...(note.trim() ? { note: note.trim() } : {}) });
      await reload('The account is suspended.');
    });
  };
  const lift = () =>
    void run(async () => {
      await api.liftSuspension(userId);
      await reload('The suspension was lifted.');
    });
  return (
    <section aria-labelledby="suspension-title">
      <h2 id="suspension-title">Suspension</h2>
      {current ? (
        <>
          <p>
            Suspended since {formatDate(current.suspendedAt)} for {current.reason}
            {current.until ? `, until ${formatDate(current.until)}` : ', until lifted'}.
          </p>
          <button type="button" disabled={busy} onClick={lift}>
            Lift the suspension
          </button>
        </>
      ) : (
        <form onSubmit={suspend}>
          <label for="reason">Reason</label>
          <select
            id="reason"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value as SuspensionRequest['reason'])}
          >
            {REASONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <label for="note">Note (no personal data)</label>
          <input
            id="note"
            maxLength={500}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            Suspend
          </button>
        </form>
      )}
      <ProblemMessage error={error} />
      <SuspensionList suspensions={loaded.suspensions} />
    </section>
  );
}

function SuspensionList({ suspensions }: { suspensions: Suspension[] }) {
  if (!suspensions.length) return <p>Never suspended.</p>;
  return (
    <ul aria-label="Suspensions, oldest first">
      {suspensions.map((s) => (
        <li key={s.suspendedAt}>
          {formatDate(s.suspendedAt)}: {s.reason}
          {s.note ? ` (${s.note})` : ''}
          {s.liftedAt ? `, lifted ${formatDate(s.liftedAt)}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** Erasure, once the administrator has typed the profile's e-mail address. */
export function EraseForm({ api, loaded: { profile } }: Omit<ActionProps, 'reload'>) {
  const { error, busy, run } = useAction();
  const [typed, setTyped] = useState('');
  const matches = typed.trim().toLowerCase() === profile.email.toLowerCase();
  const erase = (event: Event) => {
    event.preventDefault();
    if (!matches) return;
    void run(async () => {
      await api.delete(profile.userId);
      setFlash(`${profile.email} was erased.`);
      navigate('');
    });
  };
  return (
    <section aria-labelledby="erase-title" class="danger">
      <h2 id="erase-title">Erase this user</h2>
      <form onSubmit={erase}>
        <p id="erase-help">
          This deletes the profile and its photo for good. Type <strong>{profile.email}</strong> to
          confirm.
        </p>
        <label for="erase-confirm">E-mail address of the user to erase</label>
        <input
          id="erase-confirm"
          autocomplete="off"
          aria-describedby="erase-help"
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
        <ProblemMessage error={error} />
        <button type="submit" disabled={busy || !matches}>
          Erase
        </button>
      </form>
    </section>
  );
}
