import { Redis } from 'ioredis';
import type { DependencyProbe } from './health.controller.js';

export function redisProbe(url: string): DependencyProbe & { close(): Promise<void> } {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  return {
    name: 'redis',
    async check() {
      if (client.status === 'wait' || client.status === 'end') await client.connect();
      return (await client.ping()) === 'PONG';
    },
    async close() {
      client.disconnect();
    },
  };
}
