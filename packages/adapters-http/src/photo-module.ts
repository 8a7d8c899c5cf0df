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
import { TOKENS } from './tokens';

/** The ports the photo routes need. */
export interface PhotoAdapters {
  readonly store: PhotoStore;
  readonly processor: ImageProcessor;
}

/**
 * The routes that touch photo storage, as a container module: the photo store and image
 * processor given, their use cases, the controller and the routes' handlers. Loaded by the local server and the photo Lambda (`lambda-photos.ts`); the Lambda of
 * the other routes never imports it, so its bundle holds none of it.
 */
export function photoModule(adapters: PhotoAdapters): ContainerModule {
  return new ContainerModule(({ bind, isBound }) => {
    bind(TOKENS.PhotoStore).toConstantValue(adapters.store);
    bind(TOKENS.ImageProcessor).toConstantValue(adapters.processor);
    bind(TOKENS.DeleteUserProfile).toDynamicValue(
      (ctx) => new DeleteUserProfile(ctx.get(TOKENS.Repository), ctx.get(TOKENS.PhotoStore)),
    );
    bind(TOKENS.StartPhotoUpload).toDynamicValue(
      (ctx) =>
        new StartPhotoUpload(
          ctx.get(TOKENS.Repository),
          ctx.get(TOKENS.PhotoStore),
          ctx.get(TOKENS.Clock),
          ctx.get(TOKENS.IdGenerator),
        ),
    );
    bind(TOKENS.CommitPhoto).toDynamicValue(
      (ctx) =>
        new CommitPhoto(
          ctx.get(TOKENS.Repository),
          ctx.get(TOKENS.PhotoStore),
          ctx.get(TOKENS.ImageProcessor),
          ctx.get(TOKENS.Clock),
          ctx.get(TOKENS.IdGenerator),
        ),
    );
    bind(TOKENS.RemovePhoto).toDynamicValue(
      (ctx) =>
        new RemovePhoto(
          ctx.get(TOKENS.Repository),
          ctx.get(TOKENS.PhotoStore),
          ctx.get(TOKENS.Clock),
        ),
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
      (ctx) =>
        new SweepOrphanRenditions(
          ctx.get(TOKENS.PhotoReferences),
          ctx.get(TOKENS.PhotoStore),
          ctx.get(TOKENS.Clock),
        ),
    );
    bind(PhotoController).toDynamicValue(
      (ctx) =>
        new PhotoController(
          ctx.get(TOKENS.StartPhotoUpload),
          ctx.get(TOKENS.CommitPhoto),
          ctx.get(TOKENS.RemovePhoto),
          ctx.get(TOKENS.DeleteUserProfile),
          ctx.get(TOKENS.ProfilePresenter),
        ),
    );
    bind(TOKENS.PhotoRoutes).toDynamicValue((ctx) => {
      const photos = ctx.get(PhotoController);
      return {
        remove: (request, reply) => photos.remove(request, reply),
        startPhotoUpload: (request, reply) => photos.startPhotoUpload(request, reply),
        commitPhoto: (request, reply) => photos.commitPhoto(request, reply),
        removePhoto: (request, reply) => photos.removePhoto(request, reply),
      };
    });
  });
}
