import { ValidationFailed, type FieldProblem } from './errors';
import { isPlainObject } from './json';

/** Why an administrator suspends an account: a small, stable set operators can count by. */
export const SUSPENSION_REASONS = ['SPAM', 'ABUSE', 'FRAUD', 'OTHER'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export const SUSPENSION_LIMITS = {
  noteMaxLength: 500,
  /** The oldest entries of a longer history are dropped. */
  historyMaxEntries: 100,
  /**
   * How long a record is kept after its last suspension ended (lifted, or reached its end): a
   * subject suspended again within a year shows their history. One without end is kept.
   */
  retentionDays: 365,
} as const;

/**
 * One suspension of a subject: why, by whom, when, until when, and how it ended (lifted early by
 * an administrator; one that reached `until` simply ended). Holds ids and times, no personal data.
 */
export interface Suspension {
  readonly reason: SuspensionReason;
  /** The administrator's words for other administrators: no personal data belongs here. */
  readonly note?: string;
  /** ISO-8601 UTC; absent: until lifted. */
  readonly until?: string;
  /** The subject of the administrator who suspended (`open-api` for the open API's caller). */
  readonly suspendedBy: string;
  readonly suspendedAt: string;
  readonly liftedBy?: string;
  readonly liftedAt?: string;
}

/**
 * Every suspension of one subject (the token subject, which is also their profile id), oldest
 * first. Kept when the profile is deleted, so a re-created profile is suspended as before.
 */
export interface SuspensionRecord {
  readonly userId: string;
  readonly history: readonly Suspension[];
  /** 1 when first written, +1 on every change: the record's optimistic-concurrency token. */
  readonly version: number;
}

/** What an administrator asks for: a reason, and optionally a note and an end. */
export interface SuspensionRequest {
  readonly reason: SuspensionReason;
  readonly note?: string;
  readonly until?: string;
}

/** The suspension in force at `now`, if any: the last one, unless lifted or past its `until`. */
export function currentSuspension(
  record: SuspensionRecord | undefined,
  now: Date,
): Suspension | undefined {
  const last = record?.history.at(-1);
  if (!last || last.liftedAt !== undefined) return undefined;
  if (last.until !== undefined && Date.parse(last.until) <= now.getTime()) return undefined;
  return last;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?Z$/;

/** Checks an administrator's request; `until`, when given, must be in the future. */
export function parseSuspensionRequest(input: unknown, now: Date): SuspensionRequest {
  if (!isPlainObject(input)) throw ValidationFailed.of('', 'the body must be a JSON object');
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(input)) {
    if (!['reason', 'note', 'until'].includes(field))
      problems.push({ field, message: 'is not a known field' });
  }
  const { reason, note, until } = input;
  if (!SUSPENSION_REASONS.includes(reason as SuspensionReason)) {
    problems.push({ field: 'reason', message: `must be one of ${SUSPENSION_REASONS.join(', ')}` });
  }
  let trimmed: string | undefined;
  if (note !== undefined) {
    trimmed = typeof note === 'string' ? note.trim() : undefined;
    if (trimmed === undefined) problems.push({ field: 'note', message: 'must be a string' });
    else if (trimmed.length > SUSPENSION_LIMITS.noteMaxLength)
      problems.push({
        field: 'note',
        message: `must be at most ${SUSPENSION_LIMITS.noteMaxLength} characters`,
      });
    else if (CONTROL.test(trimmed))
      problems.push({ field: 'note', message: 'must not contain control characters' });
  }
  let end: string | undefined;
  if (until !== undefined) {
    const time = typeof until === 'string' && ISO_UTC.test(until) ? Date.parse(until) : NaN;
    if (Number.isNaN(time)) {
      problems.push({
        field: 'until',
        message: 'must be a UTC date-time, e.g. 2027-01-01T00:00:00Z',
      });
    } else if (time <= now.getTime()) {
      problems.push({ field: 'until', message: 'must be in the future' });
    } else end = new Date(time).toISOString();
  }
  if (problems.length > 0) throw new ValidationFailed(problems);
  return {
    reason: reason as SuspensionReason,
    ...(trimmed ? { note: trimmed } : {}),
    ...(end ? { until: end } : {}),
  };
}

/**
 * The record with a new suspension in force from `now`. One already in force ends now (lifted by
 * the same administrator), so the history says what each suspension was for and how long.
 */
export function withSuspension(
  record: SuspensionRecord | undefined,
  userId: string,
  request: SuspensionRequest,
  by: string,
  now: Date,
): SuspensionRecord {
  const at = now.toISOString();
  const ended = endCurrent(record, by, now);
  const next: Suspension = { ...request, suspendedBy: by, suspendedAt: at };
  return {
    userId,
    history: [...ended, next].slice(-SUSPENSION_LIMITS.historyMaxEntries),
    version: (record?.version ?? 0) + 1,
  };
}

/** The record with the suspension in force lifted by `by` now; `undefined` when none is in force. */
export function withoutSuspension(
  record: SuspensionRecord | undefined,
  by: string,
  now: Date,
): SuspensionRecord | undefined {
  if (!record || currentSuspension(record, now) === undefined) return undefined;
  return { ...record, history: endCurrent(record, by, now), version: record.version + 1 };
}

function endCurrent(
  record: SuspensionRecord | undefined,
  by: string,
  now: Date,
): readonly Suspension[] {
  const history = record?.history ?? [];
  if (!record || currentSuspension(record, now) === undefined) return history;
  const last = history.at(-1)!;
  return [...history.slice(0, -1), { ...last, liftedBy: by, liftedAt: now.toISOString() }];
}
