import { AccessTokens } from '#platform/auth/access-tokens';
import { dataSourceOptions } from '#platform/database/data-source-options';
import type { FederationConfig } from '../config.js';
import { FEDERATION_MIGRATIONS } from './migrations.js';

/** The federation's database (PostgreSQL or embedded) with its migrations: for the server and the CLI. */
export const federationDataSourceOptions = (config: FederationConfig, poolSize = config.database.poolSize) =>
  dataSourceOptions(
    { url: config.database.url, embeddedDataDir: config.database.embeddedDataDir, poolSize },
    [],
    FEDERATION_MIGRATIONS,
  );

/** The operators' bearer tokens (issued by the server; the CLI's modules need the provider). */
export const federationAccessTokens = (config: FederationConfig) =>
  new AccessTokens(
    config.auth.tokenSecret,
    `concordia-federation:${config.federationId}`,
    config.auth.tokenTtlSeconds,
  );
