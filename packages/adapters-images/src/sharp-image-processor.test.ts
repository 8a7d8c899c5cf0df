import { PHOTO_LIMITS, PhotoInvalid } from '@userprofile/domain';
import { SharpImageProcessor } from './sharp-image-processor';
import {
  animatedWebp,
  bombPng,
  colourName,
  phoneJpeg,
  plainPng,
  plainWebp,
  renditionFacts,
  svgAsPng,
  textAsJpeg,
} from './testing';

const processor = new SharpImageProcessor();
const options = { sizes: PHOTO_LIMITS.renditionSizes, maxPixels: PHOTO_LIMITS.maxPixels };

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
});
