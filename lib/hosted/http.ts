/**
 * A small request/response shape for the hosted front's logic, so lib/ does not depend on Next and
 * tests can drive it in-process. Routes convert with fromNextRequest/toNextResponse (lib/hosted/next.ts).
 */
export interface HttpIn {
  method: string;
  url: URL;
  headers: Headers;
  /** Raw body text (form-encoded for every hosted form). */
  body: string;
  cookies: Record<string, string>;
}

export interface HttpOut {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values, one per cookie. */
  cookies?: string[];
  body: string;
}

export function redirect(location: string, status: 302 | 303 = 303, extra: Record<string, string> = {}): HttpOut {
  return { status, headers: { location, 'cache-control': 'no-store', ...extra }, body: '' };
}

export function json(status: number, value: unknown, extra: Record<string, string> = {}): HttpOut {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache', ...extra },
    body: JSON.stringify(value),
  };
}

export function html(status: number, body: string, extra: Record<string, string> = {}): HttpOut {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...extra }, body };
}

/** Form fields of an application/x-www-form-urlencoded body, with every value of repeated names. */
export function formFields(req: HttpIn): URLSearchParams {
  return new URLSearchParams(req.body);
}
