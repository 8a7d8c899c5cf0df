import type { UserProfile } from '@userprofile/client';

/** A date and time as an administrator reads it: the browser's locale, UTC, to the minute. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const format = { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' } as const;
  return `${new Intl.DateTimeFormat(undefined, format).format(new Date(iso))} UTC`;
}

export function statusOf(user: UserProfile): string {
  if (user.blocked) return 'Suspended';
  return user.active ? 'Active' : 'Deactivated';
}

/** JSON for a person: indented, or "none". */
export const pretty = (value: unknown) =>
  value === undefined || value === null ? 'none' : JSON.stringify(value, null, 2);
