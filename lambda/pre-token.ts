import { preTokenTrigger, type PreTokenGenerationV2Event } from '../lib/triggers/pre-token';

/**
 * Pre Token Generation (V2_0 or V3_0) for Portico's hosted sign-in: the access token gets exactly the
 * scopes named in ClientMetadata['portico:scope'], limited per client by PORTICO_CLIENT_SCOPES.
 */
export const handler = async (event: PreTokenGenerationV2Event): Promise<PreTokenGenerationV2Event> => preTokenTrigger(process.env)(event);
