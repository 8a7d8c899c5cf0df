import { RENDITIONS_PREFIX } from '@userprofile/adapters-s3/keys';
import { postUpload } from '@userprofile/adapters-s3/testing';
import type { InMemoryPhotoStore } from '@userprofile/domain/testing';

/** An upload ticket as the API answers it. */
export interface TicketJson {
  readonly uploadId: string;
  readonly url: string;
  readonly method: string;
  readonly fields: Record<string, string>;
  readonly expiresAt: string;
}

/**
 * What the photo tests do beside the API: upload with a ticket as a client does, read a rendition
 * by its public URL, and list what the photo store holds (nothing may be left behind).
 */
export interface PhotoAccess {
  /**
   * Whether the storage refuses an upload that breaks its ticket's signed policy (S3, and the
   * local S3 server's front), or stores whatever it is sent (the in-memory store).
   */
  readonly enforcesUploadPolicy: boolean;
  /** Uploads with the ticket; the storage's HTTP status (204 when stored). */
  upload(ticket: TicketJson, bytes: Uint8Array, contentType: string): Promise<number>;
  fetch(url: string): Promise<Uint8Array>;
  keys(): Promise<string[]>;
}

/** The in-memory store: the ticket's `key` field is where the upload goes. */
export function inMemoryPhotoAccess(store: InMemoryPhotoStore, publicUrl: string): PhotoAccess {
  return {
    enforcesUploadPolicy: false,
    upload: async (ticket, bytes) => {
      const key = ticket.fields.key;
      if (!key) throw new Error('The ticket names no key.');
      store.put(key, bytes);
      return 204;
    },
    fetch: async (url) => {
      const prefix = `${publicUrl}/`;
      const object = url.startsWith(prefix)
        ? store.object(`${RENDITIONS_PREFIX}${url.slice(prefix.length)}`)
        : undefined;
      if (!object) throw new Error(`Nothing at ${url}`);
      return object;
    },
    keys: async () => store.keys(),
  };
}

/** A real S3-compatible server: uploads are multipart POSTs, renditions plain GETs. */
export function s3PhotoAccess(s3: { keys(): Promise<string[]> }): PhotoAccess {
  return {
    enforcesUploadPolicy: true,
    upload: async (ticket, bytes, contentType) => {
      const res = await postUpload(ticket, bytes, contentType);
      await res.arrayBuffer();
      return res.status;
    },
    fetch: async (url) => {
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
    keys: () => s3.keys(),
  };
}
