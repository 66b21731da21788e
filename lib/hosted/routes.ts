import type { Step } from './transactions';
import type { AuthorizeRequest } from '../oauth/types';

/**
 * Where each step of the sign-in dialogue lives. Pages and their form handlers share the public path
 * (issue 3, decision 5): proxy.ts rewrites `POST <page>` to the internal handler and marks the request
 * with HOSTED_HEADER; handlers refuse requests without it.
 */
export const HOSTED_HEADER = 'x-portico-hosted';
/** The public page an authorization request came in on (`/login`, `/signup`, `/forgotPassword`), set by proxy.ts. */
export const ENTRY_HEADER = 'x-portico-entry';

/** The page a new transaction starts on, from the entry path (anything unknown starts at /login). */
export function entryPathOf(path: string | null | undefined): '/login' | '/signup' | '/forgotPassword' {
  return path === '/signup' || path === '/forgotPassword' ? path : '/login';
}

export type StepPath = '/login' | '/mfa' | '/mfa/select' | '/mfa/setup' | '/new-password' | SelfServicePath;

/**
 * The self-service pages (issue 4). Sign-up and password reset run inside a sign-in transaction (opened
 * from the sign-in page, or directly with the authorize parameters as Cognito's hosted UI allows) while
 * it is at the password step; /confirmUser also answers the emailed link; /account works on the hosted
 * SSO session.
 */
export type SelfServicePath = '/signup' | '/confirmUser' | '/forgotPassword' | '/confirmforgotPassword' | '/account';

/** Pages that may open a transaction from the authorize parameters (`GET <page>` without `?tx=`). */
export const AUTHORIZE_ENTRY_PATHS: ReadonlySet<string> = new Set(['/login', '/signup', '/forgotPassword']);

export const STEP_PATH: Record<Step, StepPath> = {
  login: '/login',
  NEW_PASSWORD_REQUIRED: '/new-password',
  SOFTWARE_TOKEN_MFA: '/mfa',
  SMS_MFA: '/mfa',
  EMAIL_OTP: '/mfa',
  SELECT_MFA_TYPE: '/mfa/select',
  MFA_SETUP: '/mfa/setup',
  MFA_SETUP_TOTP: '/mfa/setup',
};

/** Public page path → internal handler path, for POSTs (and GET /login without a transaction). */
export const HANDLER_PATH: Record<StepPath, string> = {
  '/login': '/api/hosted/login',
  '/mfa': '/api/hosted/mfa',
  '/mfa/select': '/api/hosted/mfa-select',
  '/mfa/setup': '/api/hosted/mfa-setup',
  '/new-password': '/api/hosted/new-password',
  '/signup': '/api/hosted/signup',
  '/confirmUser': '/api/hosted/confirm-user',
  '/forgotPassword': '/api/hosted/forgot-password',
  '/confirmforgotPassword': '/api/hosted/confirm-forgot-password',
  '/account': '/api/hosted/account',
};

export const AUTHORIZE_HANDLER_PATH = '/api/hosted/authorize';
export const INTERNAL_HOSTED_PREFIX = '/api/hosted';

const SELF_SERVICE: ReadonlySet<string> = new Set<SelfServicePath>(['/signup', '/confirmUser', '/forgotPassword', '/confirmforgotPassword', '/account']);

export function isSelfServicePath(path: string): path is SelfServicePath {
  return SELF_SERVICE.has(path);
}

export function isStepPath(path: string): path is StepPath {
  return Object.prototype.hasOwnProperty.call(HANDLER_PATH, path);
}

/**
 * A step page's URL: `?tx=` plus the request's language hints, so every page (and the handler its form
 * posts to) is negotiated in the language the app asked for. Never the Session, never a token.
 */
export function stepUrl(
  path: StepPath,
  txId: string,
  request: Pick<AuthorizeRequest, 'lang' | 'uiLocales'>,
  extra: Record<string, string | undefined> = {},
): string {
  const q = new URLSearchParams({ tx: txId });
  if (request.lang) q.set('lang', request.lang);
  if (request.uiLocales) q.set('ui_locales', request.uiLocales);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  return `${path}?${q.toString()}`;
}

/** The translated error page (`/error?error=…`, as Cognito's). */
export function errorPageUrl(error: string, request?: Pick<AuthorizeRequest, 'lang' | 'uiLocales'>): string {
  const q = new URLSearchParams({ error });
  if (request?.lang) q.set('lang', request.lang);
  if (request?.uiLocales) q.set('ui_locales', request.uiLocales);
  return `/error?${q.toString()}`;
}

/**
 * Where proxy.ts sends a hosted request, if anywhere: a form POST to a step page goes to that step's
 * handler; `GET /login` without `?tx=` is an authorization request (Cognito's /login takes every
 * /oauth2/authorize parameter) and needs a handler that can set the browser cookie and redirect.
 */
export function hostedRewriteTarget(method: string, path: string, query: URLSearchParams): string | undefined {
  if (method === 'POST' && isStepPath(path)) return HANDLER_PATH[path];
  if ((method === 'GET' || method === 'HEAD') && AUTHORIZE_ENTRY_PATHS.has(path) && !query.has('tx')) return AUTHORIZE_HANDLER_PATH;
  // The emailed confirmation link confirms on GET (as Cognito's) and may need to set the browser cookie.
  if ((method === 'GET' || method === 'HEAD') && path === '/confirmUser' && query.has('confirmation_code')) return HANDLER_PATH['/confirmUser'];
  return undefined;
}

/** Pages of the dialogue, the self-service pages and /error: never cached, anywhere. */
export function isHostedPage(path: string): boolean {
  return isStepPath(path) || path === '/error';
}
