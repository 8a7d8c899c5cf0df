/** SQS's limit on a message's visibility timeout: 12 hours. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

/**
 * When to try a delivery again, first tried `ageMs` ago, on `schedule` (the waits before each
 * attempt, `RETRY_SCHEDULE_MS`): the attempts fall at fixed offsets from the first (0, 5 s,
 * 5 min 5 s, ... about 27.6 h), so the next is the first offset still ahead, in whole seconds
 * (at least 1, at most SQS's 12 h: a longer wait would bring an extra attempt after 12 h; the default schedule has none). Undefined once no
 * offset is ahead: the schedule has run out.
 */
export function nextRetrySeconds(ageMs: number, schedule: readonly number[]): number | undefined {
  let offset = 0;
  for (const wait of schedule) {
    offset += wait;
    if (offset > ageMs) {
      return Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil((offset - ageMs) / 1000)));
    }
  }
  return undefined;
}
