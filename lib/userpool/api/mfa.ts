import type { Handler } from '../context';

export const mfaHandlers: Record<string, Handler> = {};
