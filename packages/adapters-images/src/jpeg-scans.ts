import { PhotoInvalid, type RenditionOptions } from '@userprofile/domain';

/**
 * What the file's structure tells before any decoding: a JPEG with more scans than any encoder's
 * progression uses is refused, since each scan is another pass over every block.
 */
export function refuseCostlyStructure(file: Uint8Array, options: RenditionOptions): void {
  if (file[0] !== 0xff || file[1] !== 0xd8) return;
  const scans = jpegScanCount(file);
  if (scans > options.maxJpegScans) {
    throw new PhotoInvalid(
      `it is a JPEG of ${scans} scans, more than ${options.maxJpegScans} (no encoder makes so many: each is another decoding pass)`,
    );
  }
}

/**
 * How many scans a JPEG holds, read from its markers without decoding anything. A progressive
 * JPEG is decoded once per scan, so its decoding cost grows with the count: a 40-megapixel file
 * of 160 KB whose AC scan is repeated 1,000 times takes seconds of CPU to decode (a "scan bomb").
 * Entropy-coded data is skipped with `indexOf`, so this costs about a millisecond per megabyte.
 * A file whose markers end early is counted as far as they go: the decoder refuses the rest.
 */
export function jpegScanCount(file: Uint8Array): number {
  let scans = 0;
  let at = 2; // after SOI
  while (at + 4 <= file.length) {
    if (file[at] !== 0xff) return scans;
    const marker = file[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // a fill byte before a marker
      continue;
    }
    if (marker === 0xd9) return scans; // EOI
    if (isStandalone(marker)) {
      at += 2;
      continue;
    }
    at += 2 + (((file[at + 2] as number) << 8) | (file[at + 3] as number));
    if (marker === 0xda) {
      scans += 1;
      at = endOfEntropyCodedData(file, at);
    }
  }
  return scans;
}

/** RSTn and TEM have no length. */
const isStandalone = (marker: number) => (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01;

/** The offset of the marker that ends a scan's data (0xFF 0x00 is a stuffed byte, RSTn is inside). */
function endOfEntropyCodedData(file: Uint8Array, from: number): number {
  let at = from;
  for (;;) {
    at = file.indexOf(0xff, at);
    if (at < 0 || at + 1 >= file.length) return file.length;
    const next = file[at + 1] as number;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) at += 2;
    else if (next === 0xff) at += 1;
    else return at;
  }
}
