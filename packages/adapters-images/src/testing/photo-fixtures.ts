import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/**
 * The files the photo tests upload, made here from scratch (nothing is trusted to a binary in
 * the repository): each is what a phone, a careless client or an attacker would send.
 */
export interface PhotoFixture {
  readonly bytes: Buffer;
  /** What the client declares. */
  readonly contentType: 'image/jpeg' | 'image/png' | 'image/webp';
}

/** Where a photo of a phone says it was taken: in the JPEG's EXIF GPS block and its XMP. */
export const FIXTURE_GPS = { latitude: [51, 30, 0], longitude: [0, 7, 0] };

/**
 * A phone's JPEG: 300x200 stored sideways (left half red, right half blue) with EXIF orientation
 * 6 (turn 90° clockwise to show), so shown upright the red half is on top; with GPS tags, a
 * copyright, XMP and a Display P3 ICC profile.
 */
export async function phoneJpeg(): Promise<PhotoFixture> {
  const red = await sharp({
    create: { width: 150, height: 200, channels: 3, background: '#ff0000' },
  })
    .png()
    .toBuffer();
  const flat = await sharp({
    create: { width: 300, height: 200, channels: 3, background: '#0000ff' },
  })
    .composite([{ input: red, left: 0, top: 0 }])
    .jpeg()
    .toBuffer();
  const bytes = await sharp(flat)
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Copyright: 'Ada Lovelace', ImageDescription: 'home' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 0/1',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.0N" exif:GPSLongitude="0,7.0W"/>' +
        '</rdf:RDF></x:xmpmeta>',
    )
    .withIccProfile('p3')
    .toBuffer();
  return { bytes, contentType: 'image/jpeg' };
}

/** A 500x300 PNG with an alpha channel. */
export async function plainPng(): Promise<PhotoFixture> {
  const bytes = await sharp({
    create: {
      width: 500,
      height: 300,
      channels: 4,
      background: { r: 0, g: 160, b: 0, alpha: 0.5 },
    },
  })
    .png()
    .toBuffer();
  return { bytes, contentType: 'image/png' };
}

/** A 400x400 WebP. */
export async function plainWebp(): Promise<PhotoFixture> {
  const bytes = await sharp({
    create: { width: 400, height: 400, channels: 3, background: '#ffcc00' },
  })
    .webp()
    .toBuffer();
  return { bytes, contentType: 'image/webp' };
}

/** Text that claims to be a JPEG. */
export function textAsJpeg(): PhotoFixture {
  return { bytes: Buffer.from('This is not a photo.\n'.repeat(20)), contentType: 'image/jpeg' };
}

/** An SVG (a format that can reference other files) that claims to be a PNG. */
export function svgAsPng(): PhotoFixture {
  return {
    bytes: Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="red"/></svg>',
    ),
    contentType: 'image/png',
  };
}

/** A two-frame animated WebP. */
export async function animatedWebp(): Promise<PhotoFixture> {
  const frames = await Promise.all(
    ['#ff0000', '#0000ff'].map((background) =>
      sharp({ create: { width: 64, height: 64, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
  const bytes = await sharp(frames, { join: { animated: true } })
    .webp()
    .toBuffer();
  return { bytes, contentType: 'image/webp' };
}

/**
 * A decompression bomb: a valid 20000x20000 greyscale PNG (400 megapixels, 400 MB decoded) that
 * is a few hundred KB on disk.
 */
export function bombPng(side = 20_000): PhotoFixture {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  // Each row: filter byte 0 and `side` black pixels.
  const pixels = deflateSync(Buffer.alloc((side + 1) * side), { level: 9 });
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { bytes, contentType: 'image/png' };
}

/** One byte over the 5 MiB limit, declared a JPEG. */
export function overFiveMiB(): PhotoFixture {
  return { bytes: randomBytes(5 * 1024 * 1024 + 1), contentType: 'image/jpeg' };
}

/**
 * A JPEG "scan bomb": a valid progressive greyscale JPEG, flat grey, `width`x`height` (within 40
 * megapixels by default), whose AC scan (spectral selection 1-63, no successive approximation) is
 * repeated `acScans` times. Decoders accept the repetition without a warning and decode every
 * copy: each costs a pass over all the image's blocks, though it is only a few dozen bytes. Written
 * byte by byte: one-code Huffman tables (DC difference 0; AC end-of-band runs), quantisation 1.
 */
export function scanBombJpeg(acScans: number, width = 8000, height = 5000): PhotoFixture {
  const segment = (marker: number, body: number[] | Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([head, Buffer.from(body)]);
  };
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const startOfScan = (first: number, last: number) =>
    segment(0xda, [1, 1, 0x00, first, last, 0x00]);
  // Every block's DC difference is 0: one 1-bit code each.
  const dc = Buffer.concat([startOfScan(0, 0), entropyCoded(Array(blocks).fill([0, 1]))]);
  // End-of-band runs (symbol 0xE0: a run of 2^14 plus 14 extra bits) cover every block.
  const runs = Math.max(1, Math.floor(blocks / 16_384));
  const each = Math.floor(blocks / runs);
  const runLengths = Array.from({ length: runs }, (_, i) =>
    i < runs - 1 ? each : blocks - each * (runs - 1),
  );
  const ac = Buffer.concat([
    startOfScan(1, 63),
    entropyCoded(
      runLengths.flatMap(
        (length) =>
          [
            [0, 1],
            [length - 16_384, 14],
          ] as const,
      ),
    ),
  ]);
  const huffman = (tableClass: number, symbol: number) =>
    segment(0xc4, [tableClass << 4, 1, ...Array<number>(15).fill(0), symbol]);
  const bytes = Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xdb, [0, ...Array<number>(64).fill(1)]),
    segment(0xc2, [8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]),
    huffman(0, 0x00),
    huffman(1, 0xe0),
    dc,
    ...Array<Buffer>(acScans).fill(ac),
    Buffer.from([0xff, 0xd9]),
  ]);
  return { bytes, contentType: 'image/jpeg' };
}

/** Bits (value, length) packed most significant first, padded with ones, 0xFF stuffed. */
function entropyCoded(codes: readonly (readonly [number, number])[]): Buffer {
  const out: number[] = [];
  let byte = 0;
  let filled = 0;
  const push = (bit: number) => {
    byte = (byte << 1) | bit;
    if (++filled === 8) {
      out.push(byte);
      if (byte === 0xff) out.push(0);
      byte = 0;
      filled = 0;
    }
  };
  for (const [value, length] of codes) {
    for (let bit = length - 1; bit >= 0; bit--) push((value >> bit) & 1);
  }
  while (filled !== 0) push(1);
  return Buffer.from(out);
}

/**
 * An allowed photo that is costly to decode: 8000x5000 (40 megapixels, the limit), 16 bits per
 * channel, under 5 MiB because it repeats a 64x64 tile.
 */
export async function costlyPng(): Promise<PhotoFixture> {
  const tile = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < tile.length; i++) tile[i] = (i * 37) & 255;
  const bytes = await sharp(tile, { raw: { width: 64, height: 64, channels: 3 } })
    .resize(8000, 5000, { kernel: 'nearest' })
    .toColourspace('rgb16')
    .png({ compressionLevel: 9 })
    .toBuffer();
  return { bytes, contentType: 'image/png' };
}
