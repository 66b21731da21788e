import type { Handler } from '../context';

export const tokenHandlers: Record<string, Handler> = {};
