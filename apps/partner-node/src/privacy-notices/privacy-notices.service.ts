import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, QueryFailedError } from 'typeorm';
import { canonicalize } from '#protocol';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import { NoticeStatus, PrivacyNotice } from './privacy-notice.entity.js';
import type {
  CreatePrivacyNoticeInput,
  PrivacyNoticesArgs,
  UpdatePrivacyNoticeInput,
} from './privacy-notices.dto.js';
import { isUuid } from '#platform/validation/ids';

/** base64url SHA-256 of the canonical JSON of what the customer is shown (and of its version). */
export function noticeContentHash(
  notice: Pick<PrivacyNotice, 'title' | 'body' | 'language' | 'version'>,
): string {
  const canonical = canonicalize({
    body: notice.body,
    language: notice.language,
    title: notice.title,
    version: notice.version,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

const isUniqueViolation = (error: unknown) =>
  error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';

/** Privacy notices: drafts are edited, then published once; published versions never change. */
@Injectable()
export class PrivacyNoticesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(PrivacyNotice);
  }

  async get(id: string): Promise<PrivacyNotice> {
    const found = isUuid(id) ? await this.repo.findOneBy({ id }) : null;
    if (!found) throw new NotFoundError('PrivacyNotice', id);
    return found;
  }

  findByIds(ids: readonly string[]): Promise<PrivacyNotice[]> {
    return this.repo.findBy({ id: In([...ids]) });
  }

  list(args: PrivacyNoticesArgs): Promise<ConnectionShape<PrivacyNotice>> {
    const query = this.repo.createQueryBuilder('n');
    if (args.status) query.andWhere('n.status = :status', { status: args.status });
    if (args.noticeKey) query.andWhere('n.notice_key = :noticeKey', { noticeKey: args.noticeKey });
    if (args.language) query.andWhere('n.language = :language', { language: args.language });
    return paginate(
      query,
      {
        column: 'n.created_at',
        value: (n) => n.createdAt,
        direction: 'DESC',
        idColumn: 'n.id',
        id: (n) => n.id,
      },
      args,
    );
  }

  async create(input: CreatePrivacyNoticeInput): Promise<PrivacyNotice> {
    try {
      const { identifiers } = await this.repo.insert({ ...input, status: NoticeStatus.DRAFT });
      return this.get((identifiers[0] as { id: string }).id);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError('This notice already has this version in this language', {
          field: 'version',
        });
      }
      throw error;
    }
  }

  async update(id: string, input: UpdatePrivacyNoticeInput): Promise<PrivacyNotice> {
    return this.dataSource.transaction(async (m) => {
      const notice = await this.lockedDraft(m.getRepository(PrivacyNotice), id);
      const patch: Partial<PrivacyNotice> = {};
      if (input.title !== undefined) patch.title = input.title;
      if (input.body !== undefined) patch.body = input.body;
      if (input.language !== undefined) patch.language = input.language;
      if (Object.keys(patch).length > 0) {
        try {
          await m.getRepository(PrivacyNotice).update({ id: notice.id }, patch);
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new ConflictError('This notice already has this version in this language', {
              field: 'language',
            });
          }
          throw error;
        }
      }
      return m.getRepository(PrivacyNotice).findOneByOrFail({ id });
    });
  }

  /** Publishes a draft: its content hash is fixed and it can never change again. */
  async publish(id: string): Promise<PrivacyNotice> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(PrivacyNotice);
      const notice = await this.lockedDraft(repo, id);
      await repo.update(
        { id },
        { status: NoticeStatus.PUBLISHED, publishedAt: new Date(), contentHash: noticeContentHash(notice) },
      );
      return repo.findOneByOrFail({ id });
    });
  }

  /** Deletes a draft (published versions stay forever: consents point to them). */
  async deleteDraft(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(PrivacyNotice);
      await this.lockedDraft(repo, id);
      await repo.delete({ id });
      return true;
    });
  }

  /** The published notice a consent is given against; anything else is refused. */
  async requirePublished(id: string, field: string): Promise<PrivacyNotice> {
    const notice = isUuid(id) ? await this.repo.findOneBy({ id }) : null;
    if (!notice)
      throw new ValidationError(field, 'is not a known privacy notice', { reason: 'UNKNOWN_NOTICE' });
    if (notice.status !== NoticeStatus.PUBLISHED) {
      throw new ValidationError(field, 'is a draft: consent is given only against a published notice', {
        reason: 'NOTICE_NOT_PUBLISHED',
      });
    }
    return notice;
  }

  private async lockedDraft(
    repo: ReturnType<DataSource['getRepository']>,
    id: string,
  ): Promise<PrivacyNotice> {
    const notice = isUuid(id)
      ? ((await repo
          .createQueryBuilder('n')
          .setLock('pessimistic_write')
          .where('n.id = :id', { id })
          .getOne()) as PrivacyNotice | null)
      : null;
    if (!notice) throw new NotFoundError('PrivacyNotice', id);
    if (notice.status === NoticeStatus.PUBLISHED) {
      throw new ConflictError('A published privacy notice cannot be changed: create a new version', {
        reason: 'NOTICE_PUBLISHED',
      });
    }
    return notice;
  }
}
