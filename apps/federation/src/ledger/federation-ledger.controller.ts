import { Controller, Get, Query } from '@nestjs/common';
import {
  API_PREFIX,
  type LedgerCheckpointsResponse,
  type LedgerCheckpointView,
  type LedgerConsistencyResponse,
} from '#federation-client';
import {
  checkpointView,
  entryView,
  type LedgerCheckpoint,
  type LedgerEntry,
  type LedgerEntryProof,
  type LedgerExport,
} from '#ledger';
import { Allow, Public } from '#platform/auth/allow.decorator';
import { ValidationError } from '#platform/errors/app-errors';
import { FederationRole } from '../operators/role.js';
import { FederationLedgerService } from './federation-ledger.service.js';

const MAX_PAGE = 1000;

/** An optional non-negative integer query parameter. */
function sizeParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw new ValidationError(name, 'must be an integer ≥ 0', { reason: 'NOT_A_SIZE' });
  }
  return Number(value);
}

function limitParam(value: string | undefined, fallback: number): number {
  const limit = sizeParam('limit', value) ?? fallback;
  if (limit < 1 || limit > MAX_PAGE) {
    throw new ValidationError('limit', `must be between 1 and ${MAX_PAGE}`, { reason: 'LIMIT_OUT_OF_RANGE' });
  }
  return limit;
}

const view = (c: LedgerCheckpoint): LedgerCheckpointView => ({ ...c, createdAt: c.createdAt.toISOString() });

/**
 * The federation ledger over HTTP (docs/protocol.md, "Federation ledger"). Checkpoints and proofs
 * are public: they hold sizes and hashes only, and every node checks them. Entries and exports
 * need an operator or compliance officer's bearer token.
 */
@Controller(`${API_PREFIX}/ledger`)
export class FederationLedgerController {
  constructor(private readonly ledger: FederationLedgerService) {}

  @Public()
  @Get('checkpoint')
  async checkpoint(): Promise<LedgerCheckpointView> {
    return view(await this.ledger.latestCheckpoint());
  }

  @Public()
  @Get('checkpoints')
  async checkpoints(
    @Query('before') before?: string,
    @Query('limit') limit?: string,
  ): Promise<LedgerCheckpointsResponse> {
    const size = limitParam(limit, 100);
    const rows = await this.ledger.ledger.checkpoints(size + 1, sizeParam('before', before));
    const page = rows.slice(0, size);
    return {
      checkpoints: page.map((c) => view(checkpointView(c))),
      nextBefore: rows.length > size ? (page.at(-1)?.size ?? null) : null,
    };
  }

  @Public()
  @Get('proofs/inclusion')
  inclusion(
    @Query('seq') seq?: string,
    @Query('leafHash') leafHash?: string,
    @Query('treeSize') treeSize?: string,
  ): Promise<LedgerEntryProof> {
    return this.ledger.inclusionProof({
      seq: sizeParam('seq', seq),
      leafHash: leafHash === '' ? undefined : leafHash,
      treeSize: sizeParam('treeSize', treeSize),
    });
  }

  @Public()
  @Get('proofs/consistency')
  consistency(@Query('from') from?: string, @Query('to') to?: string): Promise<LedgerConsistencyResponse> {
    const fromSize = sizeParam('from', from);
    if (fromSize === undefined) throw new ValidationError('from', 'is required', { reason: 'NOT_A_SIZE' });
    return this.ledger.reader.consistencyProof(fromSize, sizeParam('to', to));
  }

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Get('entries')
  async entries(
    @Query('from') from?: string,
    @Query('limit') limit?: string,
  ): Promise<{ entries: LedgerEntry[] }> {
    const rows = await this.ledger.ledger.entries(sizeParam('from', from) ?? 0, limitParam(limit, 100));
    return { entries: rows.map(entryView) };
  }

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Get('export')
  export(@Query('fromSeq') fromSeq?: string, @Query('toSize') toSize?: string): Promise<LedgerExport> {
    return this.ledger.export(sizeParam('fromSeq', fromSeq), sizeParam('toSize', toSize));
  }
}
