import {
  AssociateSoftwareTokenCommand,
  type AuthenticationResultType,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { HostedRuntime } from './runtime';
import { redirect, type HttpIn, type HttpOut } from './http';
import { saveTransaction, type Step, type Transaction } from './transactions';
import { STEP_PATH, errorPageUrl, stepUrl, type StepPath } from './routes';
import { mapPoolError, type FormError } from './form-errors';
import type { AuthorizeRequest } from '../oauth/types';
import { secretHash } from '../pool-client/secret-hash';
import { isAccountSignIn } from './account/request';
import { BASE_URL_METADATA } from '../domains/site';

/**
 * The shared middle of the sign-in dialogue: what every pool call carries (ClientMetadata, SECRET_HASH),
 * and how a pool answer moves the transaction on — a challenge becomes the next step page, tokens end
 * the dialogue (complete.ts), an error goes back to the page that caused it.
 */

/** The pool's answer to InitiateAuth / RespondToAuthChallenge (or a Verify + MFA_SETUP answer). */
export interface PoolAnswer {
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
}

export type Completer = (rt: HostedRuntime, req: HttpIn, tx: Transaction, result: AuthenticationResultType) => Promise<HttpOut>;

/**
 * Issue 3, decision 1: the granted scopes and the nonce on every call of the dialogue; and the page's
 * language, so a code the pool sends on the way (SMS or email MFA) is written in it.
 */
export function clientMetadata(request: AuthorizeRequest, locale?: string): Record<string, string> {
  const lang: Record<string, string> = locale ? { 'portico:locale': locale } : {};
  // An account sign-in asks for no OAuth scopes: the pool's API tokens carry aws.cognito.signin.user.admin.
  if (isAccountSignIn(request)) return lang;
  const out: Record<string, string> = { 'portico:scope': request.scopes.join(' '), ...lang };
  if (request.nonce !== undefined) out['nonce'] = request.nonce;
  // A sign-in on a custom domain gets that domain's issuer (the pool accepts only registered ones).
  if (request.baseUrl !== undefined) out[BASE_URL_METADATA] = request.baseUrl;
  return out;
}

/** SECRET_HASH (reference §3.5) when the client has a secret; the secret never leaves the server. */
export function secretHashParams(client: UserPoolClientType, username: string): Record<string, string> {
  if (!client.ClientSecret || !client.ClientId) return {};
  return { SECRET_HASH: secretHash(client.ClientSecret, username, client.ClientId) };
}

export async function appClientOf(rt: HostedRuntime, request: AuthorizeRequest): Promise<UserPoolClientType | undefined> {
  return rt.directory.appClient(request.clientId);
}

/** The language hints of the current page, carried to the next one. */
export function hintsOf(req: HttpIn): { lang?: string; uiLocales?: string } {
  const q = req.url.searchParams;
  return { lang: q.get('lang') ?? undefined, uiLocales: q.get('ui_locales') ?? undefined };
}

export function toStep(req: HttpIn, tx: Transaction, error?: FormError): HttpOut {
  return redirect(stepUrl(STEP_PATH[tx.state.step], tx.id, hintsOf(req), { error }));
}

export function toPath(req: HttpIn, tx: Transaction, path: StepPath, error?: FormError): HttpOut {
  return redirect(stepUrl(path, tx.id, hintsOf(req), { error }));
}

export function toErrorPage(req: HttpIn, error: string): HttpOut {
  return redirect(errorPageUrl(error, hintsOf(req)));
}

const CHALLENGE_STEPS: ReadonlySet<string> = new Set<Step>([
  'NEW_PASSWORD_REQUIRED',
  'SOFTWARE_TOKEN_MFA',
  'SMS_MFA',
  'EMAIL_OTP',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
]);

function log(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
  // Names and ids only: never passwords, codes, Session values or tokens.
  console[level](JSON.stringify({ level, msg, ...fields }));
}

/** A failed pool call on a step: back to the same page with the error, or to the password if the Session is spent. */
export async function failStep(rt: HostedRuntime, req: HttpIn, tx: Transaction, e: unknown): Promise<HttpOut> {
  const mapped = mapPoolError(e);
  if (!mapped.expected) {
    log('error', 'hosted sign-in step failed', { step: tx.state.step, error: (e as { name?: string })?.name, message: (e as Error)?.message });
  }
  if (mapped.restart && tx.state.step !== 'login') {
    tx.state = { request: tx.state.request, step: 'login', typedUsername: tx.state.typedUsername };
    await saveTransaction(rt, tx);
  }
  return toStep(req, tx, mapped.code);
}

/** Parses a JSON-string array challenge parameter (MFAS_CAN_CHOOSE, requiredAttributes, …). */
export function jsonList(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Moves the dialogue on after a pool answer. Tokens → `complete`; a known challenge → its page (MFA_SETUP
 * with TOTP starts the enrolment at once, so the page only shows what the pool gave); anything else →
 * the error page (Portico's pages answer only the challenges of the hosted UI).
 */
export async function advance(rt: HostedRuntime, req: HttpIn, tx: Transaction, out: PoolAnswer, complete: Completer): Promise<HttpOut> {
  if (out.AuthenticationResult?.AccessToken) return complete(rt, req, tx, out.AuthenticationResult);
  const name = out.ChallengeName;
  if (!name || !CHALLENGE_STEPS.has(name) || !out.Session) {
    log('warn', 'hosted sign-in got an unsupported challenge', { challenge: name ?? null });
    return toErrorPage(req, 'unsupported_challenge');
  }
  const params = out.ChallengeParameters ?? {};
  const username = params['USERNAME'] ?? params['USER_ID_FOR_SRP'] ?? tx.state.username ?? tx.state.typedUsername;
  tx.state = {
    request: tx.state.request,
    step: name as Step,
    username,
    typedUsername: tx.state.typedUsername,
    session: out.Session,
    challengeParameters: params,
  };
  if (name === 'MFA_SETUP' && jsonList(params['MFAS_CAN_SETUP']).includes('SOFTWARE_TOKEN_MFA')) {
    try {
      const assoc = await rt.cognito.send(new AssociateSoftwareTokenCommand({ Session: out.Session }));
      if (assoc.SecretCode && assoc.Session) {
        tx.state.totpSecret = assoc.SecretCode;
        tx.state.session = assoc.Session;
      }
    } catch (e) {
      // TOTP turned off in the pool meanwhile: the page offers what else can be set up (or explains).
      log('warn', 'hosted TOTP association failed', { error: (e as { name?: string })?.name });
    }
  }
  await saveTransaction(rt, tx);
  return toStep(req, tx);
}
