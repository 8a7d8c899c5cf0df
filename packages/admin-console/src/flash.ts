/** A message for the next page to announce (e.g. "erased" on the list after an erasure). */
let pending = '';

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string {
  const message = pending;
  pending = '';
  return message;
}
