import type { Handler } from '../context';

export const selfHandlers: Record<string, Handler> = {};
