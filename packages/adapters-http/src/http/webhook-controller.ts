import type { ManageWebhooks, WebhookView, WebhookWithSecret } from '@userprofile/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { validateDto } from './validation';
import { requireMediaType } from './media-type';
import { actorOf } from './user-profile-controller';
import { WebhookRequestDto } from './webhook-dto';

type WithWebhookId = FastifyRequest<{ Params: { webhookId: string } }>;

/** `/webhooks`: administrators register, list, rotate, disable, enable and delete endpoints. */
export class WebhookController {
  constructor(private readonly webhooks: ManageWebhooks) {}

  async create(request: FastifyRequest, reply: FastifyReply): Promise<WebhookWithSecret> {
    requireMediaType(request, ['application/json']);
    const actor = actorOf(request);
    await validateDto(WebhookRequestDto, request.body);
    const made = await this.webhooks.register(actor, request.body);
    reply.status(201).header('location', `/webhooks/${made.webhook.id}`);
    return made;
  }

  async list(request: FastifyRequest): Promise<{ webhooks: WebhookView[] }> {
    return { webhooks: await this.webhooks.list(actorOf(request)) };
  }

  rotate(request: WithWebhookId): Promise<WebhookWithSecret> {
    return this.webhooks.rotateSecret(actorOf(request), request.params.webhookId);
  }

  setEnabled(request: WithWebhookId, enabled: boolean): Promise<WebhookView> {
    return this.webhooks.setEnabled(actorOf(request), request.params.webhookId, enabled);
  }

  async remove(request: WithWebhookId, reply: FastifyReply): Promise<void> {
    await this.webhooks.remove(actorOf(request), request.params.webhookId);
    reply.status(204);
  }
}
