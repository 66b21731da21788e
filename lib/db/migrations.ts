import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { brandingMigration } from '../branding/tables';
import { awsRefreshContextMigration } from '../hosted/aws-refresh-context';
import { CONFIG_TABLES } from './config-cache';
import { isPostgresDb } from './dialect';

/** Migrations are code, listed in order; they must run unchanged on SQLite and PostgreSQL. */
const initial: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('pools')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('clients')
      .addColumn('client_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('secret_enc', 'text')
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('clients_pool').on('clients').column('pool_id').execute();
    await db.schema
      .createTable('resource_servers')
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('identifier', 'varchar(256)', (c) => c.notNull())
      .addColumn('name', 'varchar(256)', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('resource_servers_pk', ['pool_id', 'identifier'])
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('username_key', 'varchar(512)', (c) => c.notNull())
      .addColumn('username', 'varchar(512)', (c) => c.notNull())
      .addColumn('sub', 'varchar(64)', (c) => c.notNull())
      .addColumn('status', 'varchar(32)', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('email_key', 'varchar(2048)')
      .addColumn('phone_key', 'varchar(64)')
      .addColumn('preferred_username_key', 'varchar(2048)')
      .addColumn('srp_salt', 'varchar(128)')
      .addColumn('srp_verifier_enc', 'text')
      .addColumn('password_updated_at', 'bigint')
      .addColumn('temp_password_expires_at', 'bigint')
      .addColumn('mfa', 'text', (c) => c.notNull())
      .addColumn('totp_secret_enc', 'text')
      .addColumn('totp_pending_enc', 'text')
      .addColumn('totp_last_step', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('users_pk', ['pool_id', 'username_key'])
      .execute();
    await db.schema.createIndex('users_sub').on('users').columns(['pool_id', 'sub']).unique().execute();
    await db.schema.createIndex('users_email').on('users').columns(['pool_id', 'email_key']).execute();
    await db.schema.createIndex('users_phone').on('users').columns(['pool_id', 'phone_key']).execute();
    await db.schema.createIndex('users_pref').on('users').columns(['pool_id', 'preferred_username_key']).execute();
    await db.schema
      .createTable('groups')
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('group_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('description', 'varchar(2048)')
      .addColumn('precedence', 'bigint')
      .addColumn('role_arn', 'varchar(2048)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('groups_pk', ['pool_id', 'group_name'])
      .execute();
    await db.schema
      .createTable('user_groups')
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('group_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('username_key', 'varchar(512)', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_groups_pk', ['pool_id', 'group_name', 'username_key'])
      .execute();
    await db.schema.createIndex('user_groups_user').on('user_groups').columns(['pool_id', 'username_key']).execute();
    await db.schema
      .createTable('auth_sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('data_enc', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('auth_sessions_exp').on('auth_sessions').column('expires_at').execute();
    await db.schema
      .createTable('codes')
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('username_key', 'varchar(512)', (c) => c.notNull())
      .addColumn('purpose', 'varchar(64)', (c) => c.notNull())
      .addColumn('code_digest', 'varchar(128)', (c) => c.notNull())
      .addColumn('data', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('codes_pk', ['pool_id', 'username_key', 'purpose'])
      .execute();
    await db.schema
      .createTable('token_families')
      .addColumn('origin_jti', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('username_key', 'varchar(512)', (c) => c.notNull())
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('token_families_user').on('token_families').columns(['pool_id', 'username_key']).execute();
    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_digest', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('origin_jti', 'varchar(64)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('rotated_at', 'bigint')
      .execute();
    await db.schema.createIndex('refresh_tokens_origin').on('refresh_tokens').column('origin_jti').execute();
    await db.schema
      .createTable('lockouts')
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_key', 'varchar(512)', (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('locked_until', 'bigint', (c) => c.notNull())
      .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('lockouts_pk', ['pool_id', 'user_key'])
      .execute();
    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('key_use', 'varchar(16)', (c) => c.notNull())
      .addColumn('private_enc', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('retired_at', 'bigint')
      .execute();
    await db.schema.createIndex('signing_keys_pool').on('signing_keys').column('pool_id').execute();
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('to_addr', 'varchar(2048)', (c) => c.notNull())
      .addColumn('medium', 'varchar(16)', (c) => c.notNull())
      .addColumn('subject', 'varchar(2048)')
      .addColumn('body_text', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('outbox_created').on('outbox').columns(['pool_id', 'created_at']).execute();
    await db.schema
      .createTable('kv')
      .addColumn('key', 'varchar(256)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};


/** The hosted front's own stores: sign-in transactions, authorization codes, SSO sessions, client settings. */
const hosted: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('hosted_transactions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('browser', 'varchar(64)', (c) => c.notNull())
      .addColumn('data_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('hosted_transactions_exp').on('hosted_transactions').column('expires_at').execute();
    await db.schema
      .createTable('auth_codes')
      .addColumn('code_digest', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('data_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('redeemed_at', 'bigint')
      .execute();
    await db.schema.createIndex('auth_codes_exp').on('auth_codes').column('expires_at').execute();
    await db.schema
      .createTable('hosted_sessions')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('sub', 'varchar(64)', (c) => c.notNull())
      .addColumn('data_enc', 'text', (c) => c.notNull())
      .addColumn('auth_time', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('hosted_sessions_exp').on('hosted_sessions').column('expires_at').execute();
    await db.schema.createIndex('hosted_sessions_sub').on('hosted_sessions').columns(['pool_id', 'sub']).execute();
    await db.schema
      .createTable('client_settings')
      .addColumn('client_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/** OAuth scopes a token family was issued with, so a refresh keeps them (embedded pool). */
const familyScopes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('token_families').addColumn('scopes', 'text').execute();
  },
};

/** Delivery state of outbox messages (lib/delivery): retries with back-off, and an HTML part. */
const delivery: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('outbox').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('outbox').addColumn('next_attempt_at', 'bigint').execute();
    await db.schema.alterTable('outbox').addColumn('last_error', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('sent_at', 'bigint').execute();
    await db.schema.alterTable('outbox').addColumn('html', 'text').execute();
    await db.schema.createIndex('outbox_status').on('outbox').columns(['status', 'next_attempt_at']).execute();
  },
};

/** Self-service pages (issue 4): form flashes, pending sign-ups, rate-limit counters, account tokens. */
const selfService: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('hosted_flash')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('browser', 'varchar(64)', (c) => c.notNull())
      .addColumn('data_enc', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('hosted_flash_exp').on('hosted_flash').column('expires_at').execute();
    await db.schema
      .createTable('pending_signups')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('client_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('username', 'varchar(256)', (c) => c.notNull())
      .addColumn('browser', 'varchar(64)', (c) => c.notNull())
      .addColumn('data_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('last_sent_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('pending_signups_user').on('pending_signups').columns(['client_id', 'username']).execute();
    await db.schema.createIndex('pending_signups_exp').on('pending_signups').column('expires_at').execute();
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'varchar(256)', (c) => c.primaryKey())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limits_exp').on('rate_limits').column('expires_at').execute();
    await db.schema.alterTable('hosted_sessions').addColumn('account_enc', 'text').execute();
  },
};

/** Custom domains (lib/domains), and the issuer a token family was minted with on one. */
const domains: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('domains')
      .addColumn('host', 'varchar(253)', (c) => c.primaryKey())
      .addColumn('pool_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('base_url', 'varchar(300)', (c) => c.notNull())
      .addColumn('default_client_id', 'varchar(128)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('token_families').addColumn('issuer', 'text').execute();
  },
};

/** Portico's own per-pool settings (lib/settings/pool-settings.ts): one JSON document per pool. */
const poolSettings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('pool_settings')
      .addColumn('pool_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/**
 * At most one active signing key per owner and use (a pool's `id` and `access` keys, Portico's AWS-mode
 * ID-token key), so instances creating a key on first use at the same moment cannot both succeed: the
 * loser's insert does nothing (ON CONFLICT DO NOTHING) and it re-reads the winner's. Keys that such a
 * race already doubled are retired first, all but the newest (the one every instance signs with),
 * as of the moment it was created; retired keys stay listed in the JWKS, so their tokens still verify.
 */
const signingKeySlots: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      UPDATE signing_keys SET retired_at = (
        SELECT MAX(n.created_at) FROM signing_keys n
        WHERE n.pool_id = signing_keys.pool_id AND n.key_use = signing_keys.key_use AND n.retired_at IS NULL
      )
      WHERE retired_at IS NULL AND EXISTS (
        SELECT 1 FROM signing_keys n
        WHERE n.pool_id = signing_keys.pool_id AND n.key_use = signing_keys.key_use AND n.retired_at IS NULL
          AND (n.created_at > signing_keys.created_at OR (n.created_at = signing_keys.created_at AND n.kid > signing_keys.kid))
      )`.execute(db);
    await db.schema
      .createIndex('signing_keys_one_active')
      .on('signing_keys')
      .columns(['pool_id', 'key_use'])
      .unique()
      .where(sql.ref('retired_at'), 'is', null)
      .execute();
  },
};

/**
 * config_version counts the changes to the tables lib/db/config-cache.ts keeps in memory, so a process
 * learns of another's writes by reading one row. Triggers count, so every writer is counted: another
 * instance, an older release, a tool. The count moves in the writing transaction, so a process that
 * sees it move also sees the rows that moved it. On PostgreSQL one trigger per statement, BEFORE it runs:
 * the count's row is locked before any of the statement's own rows, so two writers cannot hold one each.
 */
const configVersion: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('config_version')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('n', 'bigint', (c) => c.notNull())
      .execute();
    await sql`INSERT INTO config_version (id, n) VALUES (1, 0)`.execute(db);
    if (isPostgresDb(db)) {
      await sql`
        CREATE FUNCTION portico_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE config_version SET n = n + 1 WHERE id = 1;
          RETURN NULL;
        END $$`.execute(db);
    }
    for (const table of CONFIG_TABLES) {
      if (isPostgresDb(db)) {
        await sql`CREATE TRIGGER ${sql.id(`${table}_config_version`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
          FOR EACH STATEMENT EXECUTE FUNCTION portico_config_changed()`.execute(db);
        continue;
      }
      for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
        await sql`CREATE TRIGGER ${sql.id(`${table}_config_version_${op.toLowerCase()}`)} AFTER ${sql.raw(op)} ON ${sql.table(table)}
          BEGIN UPDATE config_version SET n = n + 1 WHERE id = 1; END`.execute(db);
      }
    }
  },
};

const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0100_hosted': hosted,
  '0101_family_scopes': familyScopes,
  '0201_delivery': delivery,
  '0202_self_service': selfService,
  '0204_branding': brandingMigration,
  '0206_domains': domains,
  '0207_pool_settings': poolSettings,
  '0208_signing_key_slots': signingKeySlots,
  '0209_aws_refresh_context': awsRefreshContextMigration,
  '0210_config_version': configVersion,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
