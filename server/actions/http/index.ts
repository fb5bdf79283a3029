// The HTTP actions: REST, GraphQL, SOAP and outgoing webhooks, sharing one core
// (http-call.ts) and the outbound safety checks of server/net.
import type { ActionDefinition } from '../../core/action.js';
import { graphqlAction } from './graphql.js';
import { httpRequestAction } from './http-request.js';
import { soapAction } from './soap.js';
import { webhookAction } from './webhook.js';

export const httpActions: ActionDefinition<any>[] = [httpRequestAction, graphqlAction, soapAction, webhookAction];
