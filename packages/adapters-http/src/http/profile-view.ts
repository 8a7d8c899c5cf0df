import type { RenditionSize, UserProfile } from '@userprofile/domain';
import { renditionUrls } from '@userprofile/adapters-s3/keys';

/** A profile as the API shows it: its photo as the URLs of its renditions. */
export type ProfileView = Omit<UserProfile, 'photo'> & {
  readonly photo?: {
    readonly urls: Record<`${RenditionSize}`, string>;
    readonly updatedAt: string;
  };
};

export type ProfilePresenter = (profile: UserProfile) => ProfileView;

/** Shows profiles with their renditions under `photosUrl` (the CDN serving the photo bucket). */
export function profilePresenter(photosUrl: string): ProfilePresenter {
  return (profile) => {
    const { photo } = profile;
    if (!photo) return profile as ProfileView;
    const shown = { urls: renditionUrls(photosUrl, photo.id), updatedAt: photo.updatedAt };
    // In the profile's own field order.
    return Object.fromEntries(
      Object.entries(profile).map(([field, value]) => [field, field === 'photo' ? shown : value]),
    ) as ProfileView;
  };
}
