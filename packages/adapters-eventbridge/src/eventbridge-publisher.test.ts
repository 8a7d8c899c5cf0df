import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { PublishIncomplete, type ChangeEvent } from '@userprofile/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { entrySize, inCalls, entryOf, MAX_BYTES_PER_CALL } from './event-entries';
import { EventBridgeChangeEventPublisher } from './eventbridge-publisher';

/**
 * Every branch of the publisher against a mocked client: what EventBridge answers (all put, some
 * entries refused, the call refused) and what it never gets (an entry too large).
 */
const client = new EventBridgeClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const bus = mockClient(client);
const publisher = new EventBridgeChangeEventPublisher(client, { busName: 'changes' });
beforeEach(() => bus.reset());

const event = (n: number, changed: string[] = ['lastName']): ChangeEvent => ({
  id: `p${n}.v1`,
  type: 'profile.updated',
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  profileId: `profile-${n}`,
  version: 1,
  actor: { kind: 'owner', id: `profile-${n}` },
  changed,
});
const events = (n: number) => Array.from({ length: n }, (_, i) => event(i + 1));
const sentEntries = () =>
  bus.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
const ids = (entries: PutEventsRequestEntry[]) =>
  entries.map((e) => (JSON.parse(e.Detail!) as ChangeEvent).id);
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the publish to fail');
    },
    (e: unknown) => e as PublishIncomplete,
  );

describe('publishing change events to EventBridge', () => {
  it('puts each event as one entry (source, detail-type, the event as detail) in calls of at most 10, in order', async () => {
    bus.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `e${i}` })),
    }));
    await publisher.publish(events(23));
    const calls = sentEntries();
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
    expect(calls.flatMap(ids)).toEqual(events(23).map((e) => e.id));
    expect(calls[0]![0]).toEqual({
      EventBusName: 'changes',
      Source: 'userprofile',
      DetailType: 'profile.updated',
      Detail: JSON.stringify(event(1)),
      Time: new Date(event(1).time),
    });
  });

  it('makes no call for no events', async () => {
    await publisher.publish([]);
    expect(sentEntries()).toEqual([]);
  });

  it('names the first refused entry, makes no later call, and keeps the reason as the cause', async () => {
    bus
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: events(10).map(() => ({ EventId: 'x' })) })
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { EventId: 'b' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
          { EventId: 'd' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
          ...Array.from({ length: 5 }, () => ({ EventId: 'y' })),
        ],
      });
    const error = await failureOf(publisher.publish(events(25)));
    expect(error).toBeInstanceOf(PublishIncomplete);
    expect(error.firstUnsent).toBe(event(13).id);
    expect(String((error.cause as Error).message)).toBe(
      'EventBridge refused 2 of 10 entries, first ThrottlingException: Rate exceeded',
    );
    expect(sentEntries().map((c) => c.length)).toEqual([10, 10]);
  });

  it('fails from the first entry of a call when a failure count comes without an entry named', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [] });
    const error = await failureOf(publisher.publish(events(3)));
    expect(error.firstUnsent).toBe(event(1).id);
    expect((error.cause as Error).message).toMatch(/refused 1 of 3 entries, first unnamed/);
  });

  it('fails from the first entry of a call that EventBridge refused as a whole', async () => {
    const refused = new EventBridgeServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: {},
      message: 'not authorized to perform: events:PutEvents',
    });
    bus
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: events(10).map(() => ({ EventId: 'x' })) })
      .rejectsOnce(refused);
    const error = await failureOf(publisher.publish(events(15)));
    expect(error.firstUnsent).toBe(event(11).id);
    expect(error.cause).toBe(refused);
    expect(sentEntries()).toHaveLength(2);
  });

  it('refuses an event too large for any call without putting it or anything after it', async () => {
    const huge = event(2, ['x'.repeat(MAX_BYTES_PER_CALL)]);
    const error = await failureOf(publisher.publish([event(1), huge, event(3)]));
    expect(error.firstUnsent).toBe(huge.id);
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(sentEntries()).toEqual([]);
  });

  it('uses the source it is given', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    await new EventBridgeChangeEventPublisher(client, {
      busName: 'arn:aws:events:us-east-1:000000000000:event-bus/changes',
      source: 'com.example.profiles',
    }).publish([event(1)]);
    expect(sentEntries()[0]![0]).toMatchObject({
      Source: 'com.example.profiles',
      EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/changes',
    });
  });
});

describe('the calls entries go in', () => {
  it('measures an entry as EventBridge does: time, source, detail-type, detail, resources in UTF-8', () => {
    expect(
      entrySize({
        Time: new Date(),
        Source: 'ab',
        DetailType: 'é',
        Detail: '{}',
        Resources: ['r1', 'r22'],
      }),
    ).toBe(14 + 2 + 2 + 2 + 5);
    expect(entrySize({ Source: 's' })).toBe(1);
  });

  it('starts a new call before 256 KiB as before 10 entries', () => {
    // Each about 100 KiB: two fit a call, a third does not.
    const big = (n: number) => entryOf(event(n, ['y'.repeat(100 * 1024)]), 'b', 's');
    const calls = inCalls([big(1), big(2), big(3), big(4), big(5)]);
    expect(calls.map((c) => c.length)).toEqual([2, 2, 1]);
    for (const call of calls) {
      expect(call.reduce((a, e) => a + e.bytes, 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    }
  });
});
