import {
  CommitPhoto,
  DeleteUserProfile,
  RemovePhoto,
  StartPhotoUpload,
  SweepOrphanRenditions,
  type ImageProcessor,
  type PhotoStore,
} from '@userprofile/domain';
import { DynamoPhotoReferences } from '@userprofile/adapters-dynamo';
import { ContainerModule } from 'inversify';
import { PhotoController } from './http/photo-controller';
import { construct } from './construct';
import { TOKENS } from './tokens';

/** The ports the photo routes need. */
export interface PhotoAdapters {
  readonly store: PhotoStore;
  readonly processor: ImageProcessor;
}

/**
 * The routes that touch photo storage, as a container module: the photo store and image
 * processor given, their use cases, the controller and the routes' handlers: the photo's
 * upload, commit and removal, and the deletion of a profile (route `remove`), which deletes its
 * photo and uploads too. Loaded by the local server and the photo Lambda (`lambda-photos.ts`);
 * the Lambda of the other routes never imports it, so its bundle holds none of it.
 */
export function photoModule(adapters: PhotoAdapters): ContainerModule {
  return new ContainerModule(({ bind, isBound }) => {
    bind(TOKENS.PhotoStore).toConstantValue(adapters.store);
    bind(TOKENS.ImageProcessor).toConstantValue(adapters.processor);
    bind(TOKENS.DeleteUserProfile).toDynamicValue(
      construct(DeleteUserProfile, TOKENS.Repository, TOKENS.PhotoStore),
    );
    bind(TOKENS.StartPhotoUpload).toDynamicValue(
      construct(
        StartPhotoUpload,
        TOKENS.Repository,
        TOKENS.PhotoStore,
        TOKENS.Clock,
        TOKENS.IdGenerator,
      ),
    );
    bind(TOKENS.CommitPhoto).toDynamicValue(
      construct(
        CommitPhoto,
        TOKENS.Repository,
        TOKENS.PhotoStore,
        TOKENS.ImageProcessor,
        TOKENS.Clock,
        TOKENS.IdGenerator,
      ),
    );
    bind(TOKENS.RemovePhoto).toDynamicValue(
      construct(RemovePhoto, TOKENS.Repository, TOKENS.PhotoStore, TOKENS.Clock),
    );
    // The table's photo references (the container binds an in-memory repository's for tests).
    if (!isBound(TOKENS.PhotoReferences)) {
      bind(TOKENS.PhotoReferences).toDynamicValue(
        (ctx) =>
          new DynamoPhotoReferences(
            ctx.get(TOKENS.DocumentClient),
            ctx.get(TOKENS.Config).tableName,
          ),
      );
    }
    bind(TOKENS.SweepOrphanRenditions).toDynamicValue(
      construct(SweepOrphanRenditions, TOKENS.PhotoReferences, TOKENS.PhotoStore, TOKENS.Clock),
    );
    bind(PhotoController).toDynamicValue(
      construct(
        PhotoController,
        TOKENS.StartPhotoUpload,
        TOKENS.CommitPhoto,
        TOKENS.RemovePhoto,
        TOKENS.DeleteUserProfile,
        TOKENS.ProfilePresenter,
      ),
    );
    bind(TOKENS.PhotoRoutes).toDynamicValue((ctx) => {
      const photos = ctx.get(PhotoController);
      return {
        remove: (request, reply) => photos.deleteProfile(request, reply),
        startPhotoUpload: (request, reply) => photos.startPhotoUpload(request, reply),
        commitPhoto: (request, reply) => photos.commitPhoto(request, reply),
        removePhoto: (request, reply) => photos.removePhoto(request, reply),
      };
    });
  });
}
