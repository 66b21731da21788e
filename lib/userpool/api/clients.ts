import type { Handler } from '../context';

export const clientHandlers: Record<string, Handler> = {};
