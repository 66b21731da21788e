import promClient, { type Counter, type Histogram, type Registry } from 'prom-client';

/**
 * Portico's Prometheus metrics (prom-client), on a registry of their own. Next's bundles and the
 * custom server each load a copy of this module (and of prom-client), so the registry and every
 * metric live once on globalThis: whichever copy counts, /metrics sees it. Labels are closed sets
 * (outcomes, challenge names, route patterns), never ids or user input, to keep series few.
 */
export interface Metrics {
  registry: Registry;
  signIns: Counter<'operation' | 'outcome' | 'challenge'>;
  tokenGrants: Counter<'grant_type' | 'outcome'>;
  requestSeconds: Histogram<'route' | 'method' | 'status'>;
  lockouts: Counter;
  deliveries: Counter<'medium' | 'outcome'>;
}

const KEY = Symbol.for('portico.metrics');
type Holder = { [KEY]?: Metrics };

function create(): Metrics {
  const registry = new promClient.Registry();
  promClient.collectDefaultMetrics({ register: registry, prefix: 'portico_' });
  return {
    registry,
    signIns: new promClient.Counter({
      name: 'portico_sign_ins_total',
      help: 'Sign-in steps answered by the user pool (InitiateAuth, RespondToAuthChallenge and their Admin forms), by outcome (tokens, challenge or the error) and the challenge asked or answered.',
      labelNames: ['operation', 'outcome', 'challenge'],
      registers: [registry],
    }),
    tokenGrants: new promClient.Counter({
      name: 'portico_token_grants_total',
      help: 'Answers of /oauth2/token by grant type and outcome (ok or the OAuth error code).',
      labelNames: ['grant_type', 'outcome'],
      registers: [registry],
    }),
    requestSeconds: new promClient.Histogram({
      name: 'portico_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    lockouts: new promClient.Counter({
      name: 'portico_lockouts_total',
      help: 'Locks put on a user name after repeated failed sign-ins (each lock and each longer one counts).',
      registers: [registry],
    }),
    deliveries: new promClient.Counter({
      name: 'portico_message_deliveries_total',
      help: 'Message delivery attempts by medium (EMAIL, SMS) and outcome (sent, kept in the outbox, retry, failed).',
      labelNames: ['medium', 'outcome'],
      registers: [registry],
    }),
  };
}

export function metrics(): Metrics {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= create());
}

const SIGN_IN_OPERATIONS = new Set(['InitiateAuth', 'AdminInitiateAuth', 'RespondToAuthChallenge', 'AdminRespondToAuthChallenge']);
const CHALLENGES = new Set([
  'SMS_MFA', 'EMAIL_OTP', 'SOFTWARE_TOKEN_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE',
  'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'ADMIN_NO_SRP_AUTH', 'NEW_PASSWORD_REQUIRED', 'SELECT_CHALLENGE',
  'SMS_OTP', 'PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN',
]);

/**
 * Counts one answered sign-in step. `challenge` is the challenge the pool asked for (or, for an error,
 * the one being answered); anything outside Cognito's list is "other" so input cannot mint series.
 */
export function countSignIn(operation: string, outcome: string, challenge: string | undefined): void {
  if (!SIGN_IN_OPERATIONS.has(operation)) return;
  const c = challenge === undefined ? 'none' : CHALLENGES.has(challenge) ? challenge : 'other';
  metrics().signIns.inc({ operation, outcome: /^\w{1,64}$/.test(outcome) ? outcome : 'other', challenge: c });
}

export function countTokenGrant(grantType: string | undefined, outcome: string): void {
  const g = grantType === 'authorization_code' || grantType === 'refresh_token' ? grantType : grantType === undefined ? 'none' : 'other';
  metrics().tokenGrants.inc({ grant_type: g, outcome });
}

export function countLockout(): void {
  metrics().lockouts.inc();
}

export function countDelivery(medium: string, outcome: 'sent' | 'outbox' | 'retry' | 'failed'): void {
  metrics().deliveries.inc({ medium: medium === 'SMS' ? 'SMS' : 'EMAIL', outcome });
}

export function observeRequest(route: string, method: string, status: number, seconds: number): void {
  metrics().requestSeconds.observe({ route, method, status: String(status) }, seconds);
}
