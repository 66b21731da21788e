import { RespondToAuthChallengeCommand, VerifySoftwareTokenCommand, type ChallengeNameType, type UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { localeOf } from './locale';
import type { HostedRuntime } from './runtime';
import type { HttpIn, HttpOut } from './http';
import { saveTransaction, type Transaction } from './transactions';
import { openPost } from './post';
import { advance, appClientOf, clientMetadata, failStep, jsonList, secretHashParams, toErrorPage, toStep } from './dialogue';
import { complete } from './complete';
import type { StepPath } from './routes';
import type { FormError } from './form-errors';

/**
 * The challenge forms. Each answers the pool's current challenge with the Session kept in the
 * transaction; a wrong code comes back to the same page with a translated error and the same Session
 * (the pool keeps it for a few more tries), anything that spends the Session sends the person back to
 * the password.
 */
const CODE_FIELD: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
};

/** MFA codes are digits; people paste them with spaces or dashes. */
export function normaliseCode(value: string | null): string {
  return (value ?? '').replace(/[\s-]/g, '');
}

interface Ctx {
  tx: Transaction;
  form: URLSearchParams;
  client: UserPoolClientType & { ClientId: string };
  username: string;
}

async function open(rt: HostedRuntime, req: HttpIn, path: StepPath): Promise<{ ok: true; ctx: Ctx } | { ok: false; out: HttpOut }> {
  const opened = await openPost(rt, req, path);
  if (!opened.ok) return opened;
  const { tx, form } = opened;
  const client = await appClientOf(rt, tx.state.request);
  const username = tx.state.username ?? tx.state.typedUsername;
  if (!client?.ClientId) return { ok: false, out: toErrorPage(req, 'invalid_client') };
  if (!username || !tx.state.session) return { ok: false, out: toErrorPage(req, 'expired') };
  return { ok: true, ctx: { tx, form, client: client as Ctx['client'], username } };
}

async function respond(rt: HostedRuntime, req: HttpIn, c: Ctx, challenge: ChallengeNameType, responses: Record<string, string>, session = c.tx.state.session): Promise<HttpOut> {
  try {
    const out = await rt.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: c.client.ClientId,
        ChallengeName: challenge,
        Session: session,
        ChallengeResponses: { USERNAME: c.username, ...responses, ...secretHashParams(c.client, c.username) },
        ClientMetadata: clientMetadata(c.tx.state.request, localeOf(req)),
      }),
    );
    return await advance(rt, req, c.tx, out, complete);
  } catch (e) {
    return failStep(rt, req, c.tx, e);
  }
}

function back(req: HttpIn, c: Ctx, error: FormError): HttpOut {
  return toStep(req, c.tx, error);
}

/** `POST /mfa`: SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP code. */
export async function handleMfaCode(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const o = await open(rt, req, '/mfa');
  if (!o.ok) return o.out;
  const c = o.ctx;
  const code = normaliseCode(c.form.get('code'));
  if (!/^\d{6,8}$/.test(code)) return back(req, c, code ? 'wrong_code' : 'missing_fields');
  const step = c.tx.state.step;
  return respond(rt, req, c, step as ChallengeNameType, { [CODE_FIELD[step]!]: code });
}

/** `POST /mfa/select`: SELECT_MFA_TYPE. */
export async function handleSelectMfa(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const o = await open(rt, req, '/mfa/select');
  if (!o.ok) return o.out;
  const c = o.ctx;
  const answer = c.form.get('mfa') ?? '';
  if (!jsonList(c.tx.state.challengeParameters?.['MFAS_CAN_CHOOSE']).includes(answer)) return back(req, c, 'missing_fields');
  return respond(rt, req, c, 'SELECT_MFA_TYPE', { ANSWER: answer });
}

/**
 * `POST /mfa/setup`: MFA_SETUP. TOTP: VerifySoftwareToken with the code from the authenticator (the
 * secret was associated when the challenge arrived), then MFA_SETUP with Verify's Session. Email: the
 * address to send codes to, answered as MFA_SETUP {EMAIL} → EMAIL_OTP.
 */
export async function handleMfaSetup(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const o = await open(rt, req, '/mfa/setup');
  if (!o.ok) return o.out;
  const c = o.ctx;
  const can = jsonList(c.tx.state.challengeParameters?.['MFAS_CAN_SETUP']);
  if (c.form.get('method') === 'email') {
    if (!can.includes('EMAIL_OTP')) return back(req, c, 'mfa_unavailable');
    const email = (c.form.get('email') ?? '').trim();
    if (!email) return back(req, c, 'missing_fields');
    return respond(rt, req, c, 'MFA_SETUP', { EMAIL: email });
  }
  if (!c.tx.state.totpSecret) return back(req, c, 'mfa_unavailable');
  const code = normaliseCode(c.form.get('code'));
  if (!/^\d{6}$/.test(code)) return back(req, c, code ? 'wrong_code' : 'missing_fields');
  let session: string;
  try {
    const verified = await rt.cognito.send(new VerifySoftwareTokenCommand({ Session: c.tx.state.session, UserCode: code }));
    if (verified.Status !== 'SUCCESS' || !verified.Session) return back(req, c, 'wrong_code');
    session = verified.Session;
  } catch (e) {
    return failStep(rt, req, c.tx, e);
  }
  // Verify spent the old Session; keep the new one even if the next call fails.
  c.tx.state.session = session;
  await saveTransaction(rt, c.tx);
  return respond(rt, req, c, 'MFA_SETUP', {}, session);
}

/** Required attributes the pool asks for, as attribute names (`userAttributes.` prefix removed). */
export function requiredAttributesOf(tx: Transaction): string[] {
  return jsonList(tx.state.challengeParameters?.['requiredAttributes'])
    .map((n) => (n.startsWith('userAttributes.') ? n.slice('userAttributes.'.length) : n))
    .filter((n) => n.length > 0);
}

/** `POST /new-password`: NEW_PASSWORD_REQUIRED with the required attributes. */
export async function handleNewPassword(rt: HostedRuntime, req: HttpIn): Promise<HttpOut> {
  const o = await open(rt, req, '/new-password');
  if (!o.ok) return o.out;
  const c = o.ctx;
  const password = c.form.get('password') ?? '';
  const confirm = c.form.get('confirm') ?? '';
  if (!password || password.length > 256) return back(req, c, 'missing_fields');
  if (password !== confirm) return back(req, c, 'password_mismatch');
  const responses: Record<string, string> = { NEW_PASSWORD: password };
  for (const name of requiredAttributesOf(c.tx)) {
    const value = (c.form.get(`attr.${name}`) ?? '').trim();
    if (!value) return back(req, c, 'missing_fields');
    responses[`userAttributes.${name}`] = value;
  }
  return respond(rt, req, c, 'NEW_PASSWORD_REQUIRED', responses);
}
