import { PHOTO_LIMITS, PhotoInvalid } from '@userprofile/domain';
import sharp from 'sharp';
import { jpegScanCount } from './jpeg-scans';
import { SharpImageProcessor } from './sharp-image-processor';
import {
  animatedWebp,
  bombPng,
  colourName,
  phoneJpeg,
  plainPng,
  plainWebp,
  renditionFacts,
  scanBombJpeg,
  svgAsPng,
  textAsJpeg,
} from './testing';

const processor = new SharpImageProcessor();
const options = {
  sizes: PHOTO_LIMITS.renditionSizes,
  maxPixels: PHOTO_LIMITS.maxPixels,
  maxJpegScans: PHOTO_LIMITS.maxJpegScans,
};

describe('SharpImageProcessor', () => {
  it('makes upright, square WebP renditions of a phone photo with none of its metadata', async () => {
    const { bytes } = await phoneJpeg();
    const before = await renditionFacts(bytes);
    // The fixture carries what must go: EXIF (with GPS), XMP, an ICC profile, a rotation flag.
    expect(before.metadata).toEqual(expect.arrayContaining(['exif', 'xmp', 'icc', 'orientation']));
    expect(before.markers).toEqual(expect.arrayContaining(['Exif', 'xmpmeta', 'ICC_PROFILE']));

    const renditions = await processor.renditions(bytes, options);
    expect(renditions.map((r) => r.size)).toEqual([64, 256, 1024]);
    for (const rendition of renditions) {
      const facts = await renditionFacts(rendition.bytes);
      expect(facts).toMatchObject({
        format: 'webp',
        width: rendition.size,
        height: rendition.size,
        metadata: [],
        markers: [],
      });
      // Stored sideways with the red half on the left; shown upright, red is on top.
      expect([colourName(facts.top), colourName(facts.bottom)]).toEqual(['red', 'blue']);
    }
  });

  it.each([
    ['a PNG', plainPng],
    ['a WebP', plainWebp],
  ])('accepts %s', async (_name, fixture) => {
    const renditions = await processor.renditions((await fixture()).bytes, options);
    for (const r of renditions) {
      expect(await renditionFacts(r.bytes)).toMatchObject({
        format: 'webp',
        width: r.size,
        metadata: [],
      });
    }
  });

  it.each([
    ['text declared a JPEG', async () => textAsJpeg(), /not an image in a known format/],
    ['an SVG declared a PNG', async () => svgAsPng(), /svg, not JPEG, PNG or WebP/],
    ['an animated WebP', animatedWebp, /animated/],
    [
      'a 20000x20000 decompression bomb',
      async () => bombPng(),
      /20000x20000 pixels, more than 40 megapixels/,
    ],
  ])('refuses %s', async (_name, fixture, reason) => {
    const error = await processor
      .renditions((await fixture()).bytes, options)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhotoInvalid);
    expect((error as Error).message).toMatch(reason);
  });

  it('refuses a truncated JPEG rather than render half of it', async () => {
    const { bytes } = await phoneJpeg();
    await expect(
      processor.renditions(bytes.subarray(0, bytes.length / 2), options),
    ).rejects.toBeInstanceOf(PhotoInvalid);
  });

  it('refuses an animated PNG', async () => {
    const { bytes } = await plainPng();
    // An acTL chunk (2 frames, loop forever) right after IHDR makes it an APNG.
    const acTL = Buffer.from([
      0, 0, 0, 8, 0x61, 0x63, 0x54, 0x4c, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const apng = Buffer.concat([bytes.subarray(0, 33), acTL, bytes.subarray(33)]);
    await expect(processor.renditions(apng, options)).rejects.toThrow(/animated/);
  });

  it('refuses a JPEG scan bomb from its markers, before decoding', async () => {
    // 8000x5000 (within 40 megapixels), its AC scan repeated: seconds of CPU if decoded.
    const bomb = scanBombJpeg(1_000);
    expect(jpegScanCount(bomb.bytes)).toBe(1_001);
    const started = process.hrtime.bigint();
    const error = await processor.renditions(bomb.bytes, options).catch((e: unknown) => e);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(error).toBeInstanceOf(PhotoInvalid);
    expect((error as Error).message).toMatch(/JPEG of 1001 scans, more than 20/);
    // Far below one decoding pass of the file (a generous bound: this is no benchmark).
    expect(ms).toBeLessThan(1_000);
  });

  it('decodes a progressive JPEG of as many scans as the limit allows', async () => {
    const file = scanBombJpeg(PHOTO_LIMITS.maxJpegScans - 1, 640, 480);
    expect(jpegScanCount(file.bytes)).toBe(PHOTO_LIMITS.maxJpegScans);
    const renditions = await processor.renditions(file.bytes, options);
    expect(renditions.map((r) => r.size)).toEqual([64, 256, 1024]);
  });
});

describe('jpegScanCount', () => {
  it('counts the scans of what encoders make: 1 baseline, 10 progressive colour', async () => {
    const colour = sharp({
      create: { width: 640, height: 480, channels: 3, background: '#123456' },
    });
    expect(jpegScanCount(await colour.clone().jpeg().toBuffer())).toBe(1);
    expect(jpegScanCount(await colour.clone().jpeg({ progressive: true }).toBuffer())).toBe(10);
    expect(jpegScanCount((await phoneJpeg()).bytes)).toBe(1);
  });

  it('skips stuffed bytes and restart markers inside scan data', () => {
    const scan = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x12, 0xff, 0x00, 0xff, 0xd0, 0x34];
    const file = Uint8Array.from([0xff, 0xd8, ...scan, ...scan, 0xff, 0xff, 0xd9]);
    expect(jpegScanCount(file)).toBe(2);
  });

  it('stops at a truncated file', () => {
    const file = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0x12]);
    expect(jpegScanCount(file)).toBe(1);
  });
});
