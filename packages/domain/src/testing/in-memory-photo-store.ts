import { PhotoInvalid } from '../errors';
import type { PhotoUploadRequest, Rendition, UploadTicket } from '../photo';
import type { ImageProcessor, PhotoStore, RenditionOptions, StoredUpload } from '../ports';

/** The photo store in memory: tests upload with `upload` and look at what is left with `keys`. */
export class InMemoryPhotoStore implements PhotoStore {
  private readonly objects = new Map<string, Uint8Array>();
  private readonly storedAt = new Map<string, Date>();
  readonly tickets: { userId: string; uploadId: string; request: PhotoUploadRequest }[] = [];

  async uploadTicket(
    userId: string,
    uploadId: string,
    request: PhotoUploadRequest,
    expiresAt: Date,
  ): Promise<UploadTicket> {
    this.tickets.push({ userId, uploadId, request });
    return {
      uploadId,
      url: 'memory://photos',
      method: 'POST',
      fields: { key: uploadKey(userId, uploadId), 'Content-Type': request.contentType },
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** What a client does with a ticket. */
  upload(userId: string, uploadId: string, bytes: Uint8Array): void {
    this.put(uploadKey(userId, uploadId), bytes);
  }

  /** An object by its key, as a client uploading with a ticket's `key` field writes it. */
  put(key: string, bytes: Uint8Array, storedAt = new Date()): void {
    this.objects.set(key, bytes);
    this.storedAt.set(key, storedAt);
  }

  object(key: string): Uint8Array | undefined {
    return this.objects.get(key);
  }

  async findUpload(userId: string, uploadId: string): Promise<StoredUpload | undefined> {
    const bytes = this.objects.get(uploadKey(userId, uploadId));
    return bytes && { size: bytes.byteLength, read: async () => bytes };
  }

  async deleteUpload(userId: string, uploadId: string): Promise<void> {
    this.objects.delete(uploadKey(userId, uploadId));
  }

  async deleteUploads(userId: string): Promise<void> {
    for (const key of this.keys())
      if (key.startsWith(uploadKey(userId, ''))) this.objects.delete(key);
  }

  async saveRenditions(photoId: string, renditions: readonly Rendition[]): Promise<void> {
    for (const r of renditions) this.put(`photos/${photoId}/${r.size}.webp`, r.bytes);
  }

  async deleteRenditions(photoId: string): Promise<void> {
    for (const key of this.keys())
      if (key.startsWith(`photos/${photoId}/`)) this.objects.delete(key);
  }

  async *renditionIds(storedBefore: Date): AsyncIterable<string> {
    const newest = new Map<string, number>();
    for (const [key, at] of this.storedAt) {
      const id = /^photos\/([^/]+)\//.exec(key)?.[1];
      if (id && this.objects.has(key)) newest.set(id, Math.max(newest.get(id) ?? 0, at.getTime()));
    }
    for (const [id, at] of [...newest].sort()) if (at < storedBefore.getTime()) yield id;
  }

  /** Every stored key, sorted. */
  keys(): string[] {
    return [...this.objects.keys()].sort();
  }
}

const uploadKey = (userId: string, uploadId: string) => `uploads/${userId}/${uploadId}`;

/**
 * An image processor for use-case tests: a file whose text starts with `image` is a photo (each
 * rendition holds its size), anything else is `PhotoInvalid`.
 */
export class FakeImageProcessor implements ImageProcessor {
  async renditions(
    file: Uint8Array,
    options: Pick<RenditionOptions, 'sizes'>,
  ): Promise<Rendition[]> {
    if (String.fromCharCode(...file.subarray(0, 5)) !== 'image') {
      throw new PhotoInvalid('it is not an image');
    }
    return options.sizes.map((size) => ({
      size,
      bytes: Uint8Array.from(`webp ${size}`, (c) => c.charCodeAt(0)),
    }));
  }
}
