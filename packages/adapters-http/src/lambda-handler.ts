import awsLambdaFastify from '@fastify/aws-lambda';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Container } from 'inversify';
import pino from 'pino';
import { buildApp } from './app';

type Event = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/**
 * HTTP API (v2) events carry the stage in `rawPath` (`/dev/users`); REST (v1) events do not, and
 * @fastify/aws-lambda strips it from v1 custom-domain paths itself.
 */
function withoutStage(event: Event): Event {
  if (!('rawPath' in event)) return event;
  const stage = event.requestContext.stage;
  if (!stage || stage === '$default' || !event.rawPath.startsWith(`/${stage}/`)) return event;
  return { ...event, rawPath: event.rawPath.slice(stage.length + 1) };
}

/**
 * A Lambda handler for API Gateway REST (v1 proxy) and HTTP API (v2) events, serving the app of
 * this container. Built once per cold start, never per request. The table belongs to the CDK
 * stack: no bootstrap.
 *
 * Log lines are written to standard output synchronously: Lambda may freeze the process as soon
 * as an invocation answers, and a line still queued then would reach CloudWatch late, under the
 * next invocation, or never if the instance is not thawed again.
 */
export function lambdaHandler(container: Container) {
  const app = buildApp(container, {
    requestLogLevel: 'debug',
    logger: { stream: pino.destination({ dest: 1, sync: true }) },
  });
  app.addHook('onRequest', async (request) => {
    const context = (request as { awsLambda?: { context?: Context } }).awsLambda?.context;
    if (context) request.log = request.log.child({ awsRequestId: context.awsRequestId });
  });
  const proxy = awsLambdaFastify(app, { decorateRequest: true });
  const ready = app.ready();
  return async function handler(event: Event, context: Context) {
    await ready;
    return proxy(withoutStage(event) as never, context);
  };
}
