import type { Handler } from '../context';
import { poolHandlers } from './pools';
import { clientHandlers } from './clients';
import { resourceServerHandlers } from './resource-servers';
import { adminUserHandlers } from './admin-users';
import { groupHandlers } from './groups';
import { signUpHandlers } from './signup';
import { authHandlers } from './auth';
import { tokenHandlers } from './tokens';
import { selfHandlers } from './self';
import { mfaHandlers } from './mfa';
import { poolMfaHandlers } from './pool-mfa';
import { uiCustomizationHandlers } from './ui-customization';

/** Every implemented Cognito operation, by name. Each group lives in its own module. */
export const handlers: Record<string, Handler> = {
  ...poolHandlers,
  ...clientHandlers,
  ...resourceServerHandlers,
  ...adminUserHandlers,
  ...groupHandlers,
  ...signUpHandlers,
  ...authHandlers,
  ...tokenHandlers,
  ...selfHandlers,
  ...mfaHandlers,
  ...poolMfaHandlers,
  ...uiCustomizationHandlers,
};
