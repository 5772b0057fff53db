import { readFileSync } from 'node:fs';
import type { ConsoleNetworkInfo, ConsoleNode, ConsoleUser } from './console-network.js';

export type { ConsoleNetworkInfo, ConsoleNode, ConsoleUser };

let cached: ConsoleNetworkInfo | undefined;

/** The running test network (started once by global-setup.ts): URLs, users, the well-known customer. */
export function consoleNetwork(): ConsoleNetworkInfo {
  const file = process.env.CONSOLE_NETWORK_INFO;
  if (!file)
    throw new Error('CONSOLE_NETWORK_INFO is not set: run the browser tests through playwright.config.ts');
  cached ??= JSON.parse(readFileSync(file, 'utf8')) as ConsoleNetworkInfo;
  return cached;
}

/** A node of the test network by partner id (retailer, telecom, insurer). */
export function nodeOf(partnerId: string): ConsoleNode {
  const node = consoleNetwork().nodes.find((n) => n.partnerId === partnerId);
  if (!node) throw new Error(`no node ${partnerId} in the console test network`);
  return node;
}

/** The credentials of the user holding `role` at `node`. */
export function userOf(node: ConsoleNode, role: ConsoleUser['role']): ConsoleUser {
  const user = node.users.find((u) => u.role === role);
  if (!user) throw new Error(`no ${role} at ${node.partnerId}`);
  return user;
}
