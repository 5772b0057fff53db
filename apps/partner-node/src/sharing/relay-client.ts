import { Injectable } from '@nestjs/common';
import { AUTHORIZATION_SCHEME, RELAY_CONTENT_TYPE, signRequestToken } from '#federation-client';
import { KeysService } from '../keys/keys.service.js';
import { NetworkService } from '../network/network.service.js';

/** A non-2xx answer of the relay, or no answer at all (status 0). */
export class RelayCallError extends Error {
  override readonly name = 'RelayCallError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
  }

  /** A refusal (the message will never be accepted as it is), as opposed to an outage. */
  get isRefusal(): boolean {
    return this.status === 422 || this.status === 400 || this.status === 403;
  }
}

/** Calls the federation's relay routes, authenticated with a request token of this node. */
@Injectable()
export class RelayClient {
  constructor(
    private readonly network: NetworkService,
    private readonly keys: KeysService,
  ) {}

  async post<T>(path: string, body: unknown, timeoutMs = 60_000): Promise<T> {
    const client = this.network.client();
    const { federationId } = await this.network.trustAnchor();
    const token = signRequestToken(await this.keys.requestSigner(), federationId, 'POST', path);
    let response: Response;
    try {
      response = await fetch(`${client.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': RELAY_CONTENT_TYPE,
          accept: 'application/json',
          authorization: `${AUTHORIZATION_SCHEME} ${token}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new RelayCallError(
        0,
        'FEDERATION_UNAVAILABLE',
        undefined,
        `the federation is unreachable: ${String(error)}`,
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; reason?: string; message?: string } } | undefined)
        ?.error;
      throw new RelayCallError(
        response.status,
        error?.code ?? `HTTP_${response.status}`,
        error?.reason,
        error?.message ?? `${path}: ${response.status}`,
      );
    }
    return parsed as T;
  }
}
