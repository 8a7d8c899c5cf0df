import sharp from 'sharp';

/** What a rendition is made of, read back by decoding it. */
export interface RenditionFacts {
  readonly format: string | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** Every metadata block the file still carries (`exif`, `xmp`, `icc`, `iptc`, `orientation`). */
  readonly metadata: string[];
  /** Whether the raw bytes mention a metadata marker anywhere (`Exif`, `GPS`, `xmpmeta`, `ICC_PROFILE`). */
  readonly markers: string[];
  /** The colour at 50 % across, 10 % and 90 % down: which way up the picture is. */
  readonly top: readonly number[];
  readonly bottom: readonly number[];
}

export async function renditionFacts(bytes: Uint8Array): Promise<RenditionFacts> {
  const meta = await sharp(bytes).metadata();
  const blocks = (['exif', 'xmp', 'icc', 'iptc', 'orientation', 'comments'] as const).filter(
    (block) => meta[block] !== undefined,
  );
  const text = Buffer.from(bytes).toString('latin1');
  const markers = ['Exif', 'GPS', 'xmpmeta', 'ICC_PROFILE', 'Ada Lovelace'].filter((m) =>
    text.includes(m),
  );
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const offset = (Math.floor(y) * info.width + Math.floor(x)) * info.channels;
    return [...data.subarray(offset, offset + 3)];
  };
  return {
    format: meta.format,
    width: meta.width,
    height: meta.height,
    metadata: blocks,
    markers,
    top: at(info.width / 2, info.height * 0.1),
    bottom: at(info.width / 2, info.height * 0.9),
  };
}

/** Red or blue, allowing for lossy encoding. */
export function colourName(rgb: readonly number[]): string {
  const [r = 0, g = 0, b = 0] = rgb;
  if (r > 200 && g < 60 && b < 60) return 'red';
  if (b > 200 && r < 60 && g < 60) return 'blue';
  return `rgb(${r},${g},${b})`;
}
