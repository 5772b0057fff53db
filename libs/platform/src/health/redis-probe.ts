import { Redis } from 'ioredis';
import type { DependencyProbe } from './health.controller.js';

export function redisProbe(url: string): DependencyProbe {
  // No retry loop: a health check asks once and reports what it sees.
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  return {
    name: 'redis',
    async check() {
      if (client.status === 'wait' || client.status === 'end') await client.connect().catch(() => undefined);
      if (client.status !== 'ready') return false;
      return (await client.ping()) === 'PONG';
    },
    async close() {
      client.disconnect();
    },
  };
}
