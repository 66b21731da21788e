import type { Handler } from '../context';

export const signUpHandlers: Record<string, Handler> = {};
