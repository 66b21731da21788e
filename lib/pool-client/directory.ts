import {
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  type CognitoIdentityProviderClient,
  type UserPoolClientType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * What the hosted front knows about app clients and pools, learnt only through Cognito API calls and
 * cached briefly (ARCHITECTURE.md, "One door to the pool"). The client→pool map is rebuilt on a miss,
 * at most once per MIN_REBUILD_MS, so an unknown client_id cannot make every request list every pool.
 */
const DESCRIBE_TTL_MS = 30_000;
const MIN_REBUILD_MS = 2_000;
/** An unknown client is remembered only until the map may be rebuilt again, so a new client appears soon. */
const UNKNOWN_TTL_MS = MIN_REBUILD_MS;

export interface DirectoryOptions {
  client: CognitoIdentityProviderClient;
  /** On AWS: the configured pool ids (ListUserPools needs broad IAM rights); otherwise every pool. */
  poolIds?: string[];
  /** AWS mode: configured app-client secrets, for IAM policies that keep DescribeUserPoolClient's ClientSecret back. */
  clientSecrets?: ReadonlyMap<string, string>;
  now?: () => number;
}

interface Cached<T> {
  value: T;
  at: number;
}

export class PoolDirectory {
  private readonly clientPool = new Map<string, string>();
  private readonly clients = new Map<string, Cached<UserPoolClientType | null>>();
  private readonly pools = new Map<string, Cached<UserPoolType | null>>();
  private lastRebuild = -Infinity;
  private rebuilding: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: DirectoryOptions) {
    this.now = o.now ?? Date.now;
  }

  private async rebuild(): Promise<void> {
    if (this.now() - this.lastRebuild < MIN_REBUILD_MS) return;
    this.rebuilding ??= (async () => {
      try {
        const poolIds = this.o.poolIds ?? (await this.listPoolIds());
        const map = new Map<string, string>();
        for (const UserPoolId of poolIds) {
          let NextToken: string | undefined;
          do {
            const page = await this.o.client.send(new ListUserPoolClientsCommand({ UserPoolId, MaxResults: 60, NextToken }));
            for (const c of page.UserPoolClients ?? []) if (c.ClientId) map.set(c.ClientId, UserPoolId);
            NextToken = page.NextToken;
          } while (NextToken);
        }
        this.clientPool.clear();
        for (const [k, v] of map) this.clientPool.set(k, v);
        this.lastRebuild = this.now();
      } finally {
        this.rebuilding = undefined;
      }
    })();
    await this.rebuilding;
  }

  private async listPoolIds(): Promise<string[]> {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.o.client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
      for (const p of page.UserPools ?? []) if (p.Id) ids.push(p.Id);
      NextToken = page.NextToken;
    } while (NextToken);
    return ids;
  }

  /** The app client (with its secret, which never leaves the server), or undefined when unknown. */
  async appClient(clientId: string): Promise<UserPoolClientType | undefined> {
    const hit = this.clients.get(clientId);
    if (hit && this.now() - hit.at < (hit.value ? DESCRIBE_TTL_MS : UNKNOWN_TTL_MS)) return hit.value ?? undefined;
    let poolId = this.clientPool.get(clientId);
    if (!poolId) {
      await this.rebuild();
      poolId = this.clientPool.get(clientId);
    }
    if (!poolId) {
      this.clients.set(clientId, { value: null, at: this.now() });
      return undefined;
    }
    try {
      const out = await this.o.client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      const described = out.UserPoolClient ?? null;
      const secret = this.o.clientSecrets?.get(clientId);
      const value = described && secret !== undefined ? { ...described, ClientSecret: secret } : described;
      this.clients.set(clientId, { value, at: this.now() });
      return value ?? undefined;
    } catch (e) {
      if ((e as { name?: string }).name === 'ResourceNotFoundException') {
        this.clientPool.delete(clientId);
        this.clients.set(clientId, { value: null, at: this.now() });
        return undefined;
      }
      throw e;
    }
  }

  async pool(poolId: string): Promise<UserPoolType | undefined> {
    const hit = this.pools.get(poolId);
    if (hit && this.now() - hit.at < DESCRIBE_TTL_MS) return hit.value ?? undefined;
    try {
      const out = await this.o.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      this.pools.set(poolId, { value: out.UserPool ?? null, at: this.now() });
      return out.UserPool;
    } catch (e) {
      if ((e as { name?: string }).name === 'ResourceNotFoundException') {
        this.pools.set(poolId, { value: null, at: this.now() });
        return undefined;
      }
      throw e;
    }
  }

  /** Drops cached descriptions (after an admin change made through Portico). */
  invalidate(clientId?: string): void {
    if (clientId) this.clients.delete(clientId);
    else {
      this.clients.clear();
      this.pools.clear();
    }
  }
}
