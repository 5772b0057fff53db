import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '#platform/auth/allow.decorator';
import { ValidationError } from '#platform/errors/app-errors';
import { AcceptanceBody, ManifestBody, ProposalBody } from '../http/bodies.dto.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import {
  CHUNK_CONTENT_TYPE,
  MAX_CHUNK_BYTES,
  MERGE_PATHS,
  type ChunkReceipt,
  type MergeView,
  type MergesResponse,
} from '#federation-client';
import { MergesService } from './merges.service.js';

const ROUTE = {
  merges: MERGE_PATHS.merges,
  merge: `${MERGE_PATHS.merges}/:mergeId`,
  acceptance: `${MERGE_PATHS.merges}/:mergeId/acceptance`,
  manifests: `${MERGE_PATHS.merges}/:mergeId/manifests`,
  chunk: `${MERGE_PATHS.merges}/:mergeId/manifests/:party/chunks/:index`,
  consented: `${MERGE_PATHS.merges}/:mergeId/consented`,
};

/**
 * Segment merges: signed proposal, acceptance and manifest headers (JSON), chunks (raw bytes,
 * request token), and the parties' reads of a merge, its signed result and consented tokens.
 */
@Controller()
@Public()
export class MergesController {
  constructor(
    private readonly merges: MergesService,
    private readonly intake: MessageIntake,
  ) {}

  private requester(req: Request, method: 'GET' | 'POST', route: string): Promise<string> {
    return this.intake.authenticateRequest(
      req.headers.authorization,
      req.method,
      req.originalUrl,
      `${method} ${route}`,
    );
  }

  @Post(ROUTE.merges)
  @HttpCode(201)
  propose(@Body() body: ProposalBody): Promise<MergeView> {
    return this.merges.propose(body.proposal, `POST ${ROUTE.merges}`);
  }

  @Get(ROUTE.merges)
  async list(@Req() req: Request): Promise<MergesResponse> {
    const requester = await this.requester(req, 'GET', ROUTE.merges);
    return { merges: await this.merges.list(requester) };
  }

  @Get(ROUTE.merge)
  async get(@Req() req: Request, @Param('mergeId') mergeId: string): Promise<MergeView> {
    return this.merges.get(await this.requester(req, 'GET', ROUTE.merge), mergeId);
  }

  @Post(ROUTE.acceptance)
  @HttpCode(200)
  accept(@Param('mergeId') mergeId: string, @Body() body: AcceptanceBody): Promise<MergeView> {
    return this.merges.accept(mergeId, body.acceptance, `POST ${ROUTE.acceptance}`);
  }

  @Post(ROUTE.manifests)
  @HttpCode(201)
  manifest(@Param('mergeId') mergeId: string, @Body() body: ManifestBody): Promise<MergeView> {
    return this.merges.manifest(mergeId, body.manifest, `POST ${ROUTE.manifests}`);
  }

  @Post(ROUTE.chunk)
  @HttpCode(200)
  async chunk(
    @Req() req: Request,
    @Param('mergeId') mergeId: string,
    @Param('party') party: string,
    @Param('index') index: string,
  ): Promise<ChunkReceipt> {
    const requester = await this.requester(req, 'POST', ROUTE.chunk);
    if (!(req.headers['content-type'] ?? '').startsWith(CHUNK_CONTENT_TYPE)) {
      throw new ValidationError('content-type', `must be ${CHUNK_CONTENT_TYPE}`);
    }
    if (!/^\d{1,6}$/.test(index)) throw new ValidationError('index', 'must be a chunk number');
    return this.merges.chunk(requester, mergeId, party, Number(index), await readBytes(req));
  }

  @Get(ROUTE.consented)
  async consented(
    @Req() req: Request,
    @Res() res: Response,
    @Param('mergeId') mergeId: string,
  ): Promise<void> {
    const tokens = await this.merges.consented(await this.requester(req, 'GET', ROUTE.consented), mergeId);
    res.status(200).type(CHUNK_CONTENT_TYPE).send(tokens);
  }
}

async function readBytes(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CHUNK_BYTES) throw new ValidationError('body', `is larger than ${MAX_CHUNK_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
