import type {
  GetUserPoolMfaConfigRequest,
  GetUserPoolMfaConfigResponse,
  SetUserPoolMfaConfigRequest,
  SetUserPoolMfaConfigResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { op, type EngineDeps, type Handler } from '../context';
import { errors } from '../errors';
import { requirePool, type PoolConfig, type PoolRecord } from '../pools';

/**
 * SetUserPoolMfaConfig / GetUserPoolMfaConfig. The factor settings live in the pool document under
 * the keys mfa-factors.ts reads (SoftwareTokenMfaConfiguration, SmsMfaConfiguration,
 * EmailMfaConfiguration); a member left out of Set keeps its current value.
 */
type MfaDocument = Pick<SetUserPoolMfaConfigRequest, 'SoftwareTokenMfaConfiguration' | 'SmsMfaConfiguration' | 'EmailMfaConfiguration'>;

function mfaView(pool: PoolRecord): GetUserPoolMfaConfigResponse {
  const doc = pool.config as PoolConfig & MfaDocument;
  return {
    MfaConfiguration: pool.config.MfaConfiguration ?? 'OFF',
    ...(doc.SoftwareTokenMfaConfiguration ? { SoftwareTokenMfaConfiguration: doc.SoftwareTokenMfaConfiguration } : {}),
    ...(doc.SmsMfaConfiguration ? { SmsMfaConfiguration: doc.SmsMfaConfiguration } : {}),
    ...(doc.EmailMfaConfiguration ? { EmailMfaConfiguration: doc.EmailMfaConfiguration } : {}),
  };
}

async function store(deps: EngineDeps, pool: PoolRecord, config: PoolConfig): Promise<void> {
  await deps.db.updateTable('pools').set({ config: JSON.stringify(config), updated_at: deps.clock.now() }).where('id', '=', pool.id).execute();
}

const setUserPoolMfaConfig = op<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse>(async (input, { deps }) => {
  const pool = await requirePool(deps, input.UserPoolId!);
  const next = { ...(pool.config as PoolConfig & MfaDocument) };
  if (input.SoftwareTokenMfaConfiguration) next.SoftwareTokenMfaConfiguration = input.SoftwareTokenMfaConfiguration;
  if (input.SmsMfaConfiguration) next.SmsMfaConfiguration = input.SmsMfaConfiguration;
  if (input.EmailMfaConfiguration) next.EmailMfaConfiguration = input.EmailMfaConfiguration;
  if (input.MfaConfiguration) next.MfaConfiguration = input.MfaConfiguration;
  const anyFactor =
    next.SoftwareTokenMfaConfiguration?.Enabled !== false || next.SmsMfaConfiguration !== undefined || next.EmailMfaConfiguration !== undefined;
  if (next.MfaConfiguration === 'ON' && !anyFactor) {
    throw errors.invalidParameter('At least one MFA method must be enabled to turn MFA on.');
  }
  await store(deps, pool, next);
  return mfaView({ ...pool, config: next });
});

const getUserPoolMfaConfig = op<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse>(async (input, { deps }) => {
  return mfaView(await requirePool(deps, input.UserPoolId!));
});

export const poolMfaHandlers: Record<string, Handler> = {
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
};
