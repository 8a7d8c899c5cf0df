import { ProblemError } from '@userprofile/client';

/** What went wrong, in words: a problem's title, detail and each field's message. */
export function ProblemMessage({ error }: { error: unknown }) {
  if (error === undefined) return null;
  if (error instanceof ProblemError) {
    const { title, detail, errors } = error.problem;
    return (
      <div role="alert" class="problem">
        <p>
          <strong>{title ?? `Error ${error.status}`}</strong> ({error.status}): {detail}
          {error.status === 401 ? ' Sign in again.' : ''}
        </p>
        {errors?.length ? (
          <ul>
            {errors.map((e, i) => (
              <li key={i}>
                <code>{e.field}</code>: {e.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" class="problem">
      <p>
        <strong>Something went wrong</strong>: {message}
      </p>
    </div>
  );
}
