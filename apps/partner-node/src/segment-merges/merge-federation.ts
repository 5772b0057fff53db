import { MergeClient } from '#federation-client';
import type { KeysService } from '../keys/keys.service.js';
import { fromFederation } from '../network/federation-errors.js';
import type { NetworkService } from '../network/network.service.js';

/** Proposals, acceptances and manifests stay verifiable this long. */
export const MESSAGE_TTL_SECONDS = 30 * 86_400;

/** The federation's merge endpoints, each request signed by this node. */
export function mergeClient(network: NetworkService, keys: KeysService, federationId: string): MergeClient {
  return new MergeClient(network.client().baseUrl, federationId, () => keys.requestSigner());
}

/** A call to the federation whose failure becomes this node's error naming `what` was asked. */
export async function callFederation<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromFederation(error, what);
  }
}
