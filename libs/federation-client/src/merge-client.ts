import { readFederationAnswer, signRequestToken, type RequestSigner } from './client.js';
import { AUTHORIZATION_SCHEME } from './contract.js';
import {
  CHUNK_CONTENT_TYPE,
  MERGE_PATHS,
  type ChunkReceipt,
  type MergeView,
  type MergesResponse,
} from './merge-contract.js';

/**
 * Typed client of the segment-merge routes (partner nodes, tests, the benchmark). Non-2xx answers
 * become FederationError with the federation's `code` and `reason`, as in client.ts.
 */
export class MergeClient {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly federationId: string,
    private readonly signer: () => RequestSigner | Promise<RequestSigner>,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  propose(proposal: string): Promise<MergeView> {
    return this.json('POST', MERGE_PATHS.merges, { proposal });
  }

  accept(mergeId: string, acceptance: string): Promise<MergeView> {
    return this.json('POST', MERGE_PATHS.acceptance(mergeId), { acceptance });
  }

  sendManifest(mergeId: string, manifest: string): Promise<MergeView> {
    return this.json('POST', MERGE_PATHS.manifests(mergeId), { manifest });
  }

  async uploadChunk(mergeId: string, party: string, index: number, bytes: Uint8Array): Promise<ChunkReceipt> {
    const path = MERGE_PATHS.chunk(mergeId, party, index);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': CHUNK_CONTENT_TYPE, ...(await this.auth('POST', path)) },
      body: bytes,
    });
    return readFederationAnswer<ChunkReceipt>(response, 'POST', path);
  }

  async list(): Promise<MergeView[]> {
    return (await this.json<MergesResponse>('GET', MERGE_PATHS.merges, undefined, true)).merges;
  }

  get(mergeId: string): Promise<MergeView> {
    return this.json('GET', MERGE_PATHS.merge(mergeId), undefined, true);
  }

  /** The consented shared tokens: 32 bytes each, sorted (their hash is in the signed result). */
  async consented(mergeId: string): Promise<Buffer> {
    const path = MERGE_PATHS.consented(mergeId);
    const response = await fetch(`${this.baseUrl}${path}`, { headers: await this.auth('GET', path) });
    if (!response.ok) await readFederationAnswer(response, 'GET', path);
    return Buffer.from(await response.arrayBuffer());
  }

  private async auth(method: 'GET' | 'POST', path: string): Promise<Record<string, string>> {
    const token = signRequestToken(await this.signer(), this.federationId, method, path);
    return { authorization: `${AUTHORIZATION_SCHEME} ${token}` };
  }

  private async json<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    authenticated = false,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated) Object.assign(headers, await this.auth(method, path));
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return readFederationAnswer<T>(response, method, path);
  }
}
