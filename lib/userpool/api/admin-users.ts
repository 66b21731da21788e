import type { Handler } from '../context';

export const adminUserHandlers: Record<string, Handler> = {};
