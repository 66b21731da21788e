import type { Handler } from '../context';

export const poolHandlers: Record<string, Handler> = {};
