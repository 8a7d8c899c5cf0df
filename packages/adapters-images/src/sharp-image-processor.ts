import {
  PhotoInvalid,
  type ImageProcessor,
  type Rendition,
  type RenditionOptions,
  type RenditionSize,
} from '@userprofile/domain';
import type { default as SharpModule, SharpOptions } from 'sharp';
import { refuseCostlyStructure } from './jpeg-scans';

/** Formats decoded; anything else (SVG, GIF, TIFF, HEIF, ...) is refused before decoding. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

/** WebP quality of the renditions: small files, no visible loss at these sizes. */
const WEBP_QUALITY = 80;

/**
 * The image processor on sharp (libvips). The file is trusted for nothing: its format is read
 * from its bytes, its pixel count is checked from its header before anything is decoded, and
 * the renditions are new encodings of its pixels, upright, with no metadata block at all (EXIF
 * with GPS, XMP, IPTC, ICC, comments). sharp is loaded on first use, so a process that never
 * handles a photo never loads it.
 */
export class SharpImageProcessor implements ImageProcessor {
  private sharp: typeof SharpModule | undefined;

  /** @param options.threads libvips threads per image (its default: one per core). */
  constructor(private readonly options: { threads?: number } = {}) {}

  async renditions(file: Uint8Array, options: RenditionOptions): Promise<Rendition[]> {
    refuseCostlyStructure(file, options);
    const sharp = await this.load();
    const input: SharpOptions = {
      limitInputPixels: options.maxPixels,
      // A truncated or corrupt file is refused, not rendered half grey.
      failOn: 'error',
    };
    // The header only (no pixel is decoded), so that a bomb is named as what it is.
    const meta = await sharp(file, { ...input, limitInputPixels: false, animated: true })
      .metadata()
      .catch((cause: unknown) => {
        throw new PhotoInvalid('it is not an image in a known format', { cause });
      });
    if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) {
      throw new PhotoInvalid(`it is ${meta.format ?? 'an unknown format'}, not JPEG, PNG or WebP`);
    }
    if ((meta.pages ?? 1) > 1 || (meta.format === 'png' && isAnimatedPng(file))) {
      throw new PhotoInvalid('it is animated');
    }
    const pixels = (meta.width ?? 0) * (meta.height ?? 0);
    if (pixels > options.maxPixels) {
      throw new PhotoInvalid(
        `it is ${meta.width}x${meta.height} pixels, more than ${options.maxPixels / 1e6} megapixels`,
      );
    }
    const sizes = [...options.sizes].sort((a, b) => b - a);
    const largest = sizes[0] as RenditionSize;
    let square: { data: Buffer; info: { width: number; height: number; channels: number } };
    try {
      // Decoded once, turned upright by its EXIF orientation, cropped and scaled to the largest
      // rendition (JPEG shrink-on-load decodes no more than that needs); smaller ones from it.
      square = await sharp(file, input)
        .rotate()
        .resize(largest, largest, { fit: 'cover', position: 'centre' })
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
    } catch (cause) {
      throw new PhotoInvalid('it cannot be decoded', { cause });
    }
    const { width, height, channels } = square.info;
    const renditions = await Promise.all(
      sizes.map(async (size) => ({
        size,
        bytes: await sharp(square.data, {
          raw: { width, height, channels: channels as 1 | 2 | 3 | 4 },
        })
          .resize(size, size)
          .webp({ quality: WEBP_QUALITY })
          .toBuffer(),
      })),
    );
    return options.sizes.map((size) => renditions.find((r) => r.size === size) as Rendition);
  }

  /** Loads sharp (done by the first photo otherwise). */
  async load(): Promise<typeof SharpModule> {
    if (!this.sharp) {
      const sharp = (await import('sharp')).default;
      // Lambda and a small server: no pixel cache kept between photos.
      sharp.cache(false);
      if (this.options.threads) sharp.concurrency(this.options.threads);
      this.sharp = sharp;
    }
    return this.sharp;
  }
}

/** An APNG has an `acTL` chunk before its first `IDAT`; libvips decodes only its first frame. */
function isAnimatedPng(file: Uint8Array): boolean {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let at = 8; at + 8 <= file.byteLength;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...file.subarray(at + 4, at + 8));
    if (type === 'acTL') return true;
    if (type === 'IDAT') return false;
    at += 12 + length;
  }
  return false;
}
