import type { Rendition, RenditionOptions } from '@userprofile/domain';

/** What the parent sends the photo worker: one file to turn into renditions. */
export interface WorkerRequest {
  readonly file: Uint8Array;
  readonly options: RenditionOptions;
}

/** The worker's answer: the renditions, a refusal (a `PhotoInvalid` reason), or a failure. */
export type WorkerReply =
  { readonly renditions: Rendition[] } | { readonly invalid: string } | { readonly failed: string };

/** The worker's exit code when its resident memory passed its ceiling. */
export const EXIT_MEMORY = 90;

/** The worker's exit code when one photo took more CPU time than its budget. */
export const EXIT_CPU = 91;

/** The worker's first message, once it can decode. */
export const READY = 'ready';
