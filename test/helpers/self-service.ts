import { InitiateAuthCommand, type AuthenticationResultType, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import type { TestPool } from './pool-server';
import { listOutbox } from '../../lib/userpool/outbox';
import { secretHash } from '../../lib/userpool/secret-hash';

/** Set-up shared by the sign-up, recovery, self-service and refresh integration tests. */

/** The newest message the pool sent to `to`, and the 6-digit code in it. */
export async function lastCode(t: TestPool, to: string): Promise<string> {
  const message = (await listOutbox(t.engine.deps)).find((m) => m.to === to);
  expect(message, `a message to ${to}`).toBeDefined();
  const code = /\b(\d{6})\b/.exec(message!.text)?.[1];
  expect(code, `a code in "${message!.text}"`).toBeDefined();
  return code!;
}

export async function messagesTo(t: TestPool, to: string) {
  return (await listOutbox(t.engine.deps)).filter((m) => m.to === to);
}

/** A code that differs from the real one (so a test of a wrong code can't pass by luck). */
export function wrongCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

export async function passwordSignIn(
  client: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password: string,
  options: { secret?: string; clientMetadata?: Record<string, string> } = {},
): Promise<AuthenticationResultType> {
  const out = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: {
        USERNAME: username,
        PASSWORD: password,
        ...(options.secret ? { SECRET_HASH: secretHash(options.secret, username, clientId) } : {}),
      },
      ClientMetadata: options.clientMetadata,
    }),
  );
  expect(out.AuthenticationResult, 'tokens').toBeDefined();
  return out.AuthenticationResult!;
}
