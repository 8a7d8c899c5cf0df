import {
  RemovePhoto,
  type Clock,
  type PhotoStore,
  type UserProfileRepository,
} from '@userprofile/domain';
import { InMemoryPhotoStore, InMemoryUserProfileRepository } from '@userprofile/domain/testing';
import { Container } from 'inversify';
import { construct } from './construct';
import { TOKENS } from './tokens';

describe('construct', () => {
  it('builds the class with the services bound to its tokens, in order', () => {
    const c = new Container();
    const repository = new InMemoryUserProfileRepository();
    const store = new InMemoryPhotoStore();
    const clock = { now: () => new Date(0) };
    c.bind(TOKENS.Repository).toConstantValue(repository);
    c.bind(TOKENS.PhotoStore).toConstantValue(store);
    c.bind(TOKENS.Clock).toConstantValue(clock);
    const calls: unknown[][] = [];
    class Recorder {
      constructor(...args: [UserProfileRepository, PhotoStore, Clock]) {
        calls.push(args);
      }
    }
    c.bind(Recorder).toDynamicValue(
      construct(Recorder, TOKENS.Repository, TOKENS.PhotoStore, TOKENS.Clock),
    );
    c.get(Recorder);
    expect(calls).toEqual([[repository, store, clock]]);
  });

  it('is refused by the type checker when a token does not fit its parameter', () => {
    // The line below is a compile error (tsc, `pnpm typecheck`): a clock where a repository goes.
    // @ts-expect-error Token<Clock> is not a Token<UserProfileRepository>
    const wrong = construct(RemovePhoto, TOKENS.Clock, TOKENS.PhotoStore, TOKENS.Repository);
    expect(typeof wrong).toBe('function');
  });
});
