import type { HostedRuntime } from '../hosted/runtime';
import type { HttpIn, HttpOut } from '../hosted/http';
import { ClientSettingsSchema, deleteClientSettings, readClientSettings, writeClientSettings } from './client-settings';
import { settingsDocumentEndpoint } from './document-endpoint';

/**
 * The admin API for Portico's per-client settings: GET / PUT / DELETE
 * /admin/clients/{clientId}/settings with HTTP Basic (lib/settings/document-endpoint). The client must
 * exist in its pool; a change is seen by this process's pages at once.
 */
export function clientSettingsEndpoint(rt: HostedRuntime, req: HttpIn, clientId: string): Promise<HttpOut> {
  return settingsDocumentEndpoint(rt, req, {
    idName: 'clientId',
    id: clientId,
    schema: ClientSettingsSchema,
    exists: async () => /^[\w+]{1,128}$/.test(clientId) && !!(await rt.directory.appClient(clientId)),
    notFound: `App client ${clientId} does not exist.`,
    read: () => readClientSettings(rt.db, clientId),
    write: (value, now) => writeClientSettings(rt.db, clientId, value, now),
    remove: () => deleteClientSettings(rt.db, clientId),
  });
}
