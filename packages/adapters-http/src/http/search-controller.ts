import type { SearchUserProfiles } from '@userprofile/domain';
import type { FastifyRequest } from 'fastify';
import { queryValues, validateDto } from './dto';
import type { ProfilePresenter } from './profile-view';
import type { ProfilePage } from './response-dto';
import { SearchUsersQueryDto } from './search-query';
import { actorOf, wireNames } from './user-profile-controller';

/** `GET /users/search`: administrators' search, answered as a page of the list is. */
export class SearchController {
  constructor(
    private readonly searchProfiles: SearchUserProfiles,
    private readonly present: ProfilePresenter,
  ) {}

  async search(request: FastifyRequest): Promise<ProfilePage> {
    const actor = actorOf(request);
    const { lastKey, ...query } = await validateDto(
      SearchUsersQueryDto,
      queryValues(request.query),
      'query',
    );
    const page = await wireNames({ cursor: 'lastKey' }, () =>
      this.searchProfiles.execute(actor, { ...query, cursor: lastKey }),
    );
    return {
      users: page.items.map(this.present),
      count: page.items.length,
      ...(page.cursor === undefined ? {} : { lastKey: page.cursor }),
    };
  }
}
