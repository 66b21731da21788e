/**
 * Request headers proxy.ts sets for the handlers behind it. Every incoming `x-portico-*` header is
 * stripped first, so a client can never supply one of these itself.
 */
export const MARKER_PREFIX = 'x-portico-';
/** Marks a request the proxy rewrote to the internal Cognito route. */
export const INTERNAL_HEADER = 'x-portico-internal';
/** The Host the client used (SigV4 signs it; a rewrite must not lose it). */
export const ORIGINAL_HOST_HEADER = 'x-portico-host';
/** The negotiated locale. */
export const LOCALE_HEADER = 'x-portico-locale';
/** The CSP nonce of this response, for HTML built outside React. */
export const NONCE_HEADER = 'x-portico-nonce';
/** Where POST / with X-Amz-Target is rewritten; refused when reached directly. */
export const INTERNAL_COGNITO_PATH = '/api/cognito';
