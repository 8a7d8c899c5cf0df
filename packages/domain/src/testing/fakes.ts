import type { Clock, IdGenerator } from '../ports';

/** A clock that stands still until told to move. */
export class FixedClock implements Clock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

/** Valid, predictable UUIDs: 00000000-0000-4000-8000-000000000001, ...02, ... */
export class SequentialIds implements IdGenerator {
  private next = 1;

  newId(): string {
    return testUserId(this.next++);
  }
}

export function testUserId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
