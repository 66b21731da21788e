import type { Handler } from '../context';

export const authHandlers: Record<string, Handler> = {};
