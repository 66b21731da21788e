import type { AuthorizeCheck } from './context';

/** Values carried through unchanged: state and nonce byte for byte, the sign-in page's hints. */
export const keepHints: AuthorizeCheck = ({ params, request }) => {
  request.state = params.get('state');
  request.nonce = params.get('nonce');
  request.loginHint = params.get('login_hint');
  request.lang = params.get('lang');
  request.uiLocales = params.get('ui_locales');
};
