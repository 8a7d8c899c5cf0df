import { bytes, duration, list, megapixels } from './prose';

describe('limits in words', () => {
  it.each([
    [5 * 1024 * 1024, '5 MiB'],
    [64 * 1024, '64 KiB'],
    [640 * 1024 * 1024, '640 MiB'],
    [1000, '1000 bytes'],
  ])('says %d bytes as %s', (n, words) => expect(bytes(n)).toBe(words));

  it.each([
    [10 * 60 * 1000, 'ten minutes'],
    [24 * 60 * 60 * 1000, '24 hours'],
    [60 * 60 * 1000, 'an hour'],
    [60 * 1000, 'a minute'],
    [14 * 24 * 60 * 60 * 1000, '14 days'],
    [15_000, '15 s'],
    [5_500, '5500 ms'],
  ])('says %d ms as %s', (ms, words) => expect(duration(ms)).toBe(words));

  it('lists and counts pixels', () => {
    expect(list([64, 256, 1024])).toBe('64, 256 and 1024');
    expect(list(['a'])).toBe('a');
    expect(megapixels(40_000_000)).toBe('40 megapixels');
  });
});
