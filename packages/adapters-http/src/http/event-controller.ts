import type { ReadChangeFeed, ReadProfileHistory } from '@userprofile/domain';
import type { FastifyRequest } from 'fastify';
import { queryValues, validateDto } from './validation';
import type { EventFeedPage, EventHistoryPage } from './event-dto';
import { FeedQueryDto, HistoryQueryDto } from './event-dto';
import { actorOf, targetOf, type WithId } from './user-profile-controller';

/** The change feed's routes: `GET /events` and `GET /users/{userId}/history`. */
export class EventController {
  constructor(
    private readonly feedReader: ReadChangeFeed,
    private readonly historyReader: ReadProfileHistory,
  ) {}

  /** `GET /events?after=&types=&limit=`: every profile's events in the order recorded. */
  async feed(request: FastifyRequest): Promise<EventFeedPage> {
    const actor = actorOf(request);
    const query = await validateDto(FeedQueryDto, queryValues(request.query), 'query');
    const page = await this.feedReader.execute(actor, {
      ...(query.after === undefined ? {} : { after: query.after }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.types === undefined ? {} : { types: query.types.split(',') }),
    });
    return { events: [...page.items] as EventFeedPage['events'], cursor: page.cursor! };
  }

  /** `GET /users/{userId}/history?cursor=&limit=`: one profile's events, newest first. */
  async history(request: WithId): Promise<EventHistoryPage> {
    const { actor, userId } = targetOf(request);
    const query = await validateDto(HistoryQueryDto, queryValues(request.query), 'query');
    const page = await this.historyReader.execute(actor, userId, {
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
    });
    return {
      events: [...page.items] as EventHistoryPage['events'],
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    };
  }
}
