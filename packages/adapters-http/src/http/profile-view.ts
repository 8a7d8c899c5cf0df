import type { RenditionSize, UserProfile } from '@userprofile/domain';
import type { UserProfile as ProfileAnswer } from './response-dto';

/**
 * A profile as the API shows it, its photo as the URLs of its renditions: the answer the document
 * defines (response-dto.ts), the one declaration of it.
 */
export type ProfileView = ProfileAnswer;

export type ProfilePresenter = (profile: UserProfile) => ProfileView;

/** The public URL of each rendition of a photo: where the photo store serves it. */
export type RenditionLocator = (photoId: string) => Record<`${RenditionSize}`, string>;

/** Shows profiles with their photo's renditions where `urlsOf` says they are served. */
export function profilePresenter(urlsOf: RenditionLocator): ProfilePresenter {
  return (profile) => {
    const { photo } = profile;
    if (!photo) return profile as ProfileView;
    const shown = { urls: urlsOf(photo.id), updatedAt: photo.updatedAt };
    // In the profile's own field order.
    return Object.fromEntries(
      Object.entries(profile).map(([field, value]) => [field, field === 'photo' ? shown : value]),
    ) as ProfileView;
  };
}
