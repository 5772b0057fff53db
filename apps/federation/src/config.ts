import { z } from 'zod';
import { env, loadConfig } from '#platform/config/env';

const schema = z.object({
  NODE_ENV: env.oneOf(['development', 'production', 'test'], 'development'),
  HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('127.0.0.1')),
  PORT: env.port(4100),
  FEDERATION_ID: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits or dashes')
      .default('concordia-network'),
  ),
  DATABASE_URL: env.url(['postgres', 'postgresql']),
  DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('.data/federation')),
  REDIS_URL: env.url(['redis', 'rediss']),
});

export interface FederationConfig {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  federationId: string;
  database: { url?: string; embeddedDataDir: string };
  redisUrl?: string;
}

export function loadFederationConfig(source: NodeJS.ProcessEnv = process.env): FederationConfig {
  const c = loadConfig(schema, source);
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    federationId: c.FEDERATION_ID,
    database: { url: c.DATABASE_URL, embeddedDataDir: c.DATA_DIR },
    redisUrl: c.REDIS_URL,
  };
}
