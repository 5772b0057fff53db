import { Args, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsString, IsUUID, MaxLength } from 'class-validator';
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { ValidationError } from '#platform/errors/app-errors';
import { Role } from '../users/role.js';
import { ConsentImportService, type ConsentImportReport } from './consent-import.service.js';

/** What fits in a GraphQL request (its JSON body is limited to 100 kB); larger files: the CLI. */
export const CONSENT_CSV_MAX_CHARS = 90_000;
/** Refused lines named in the error's message (all of them, up to 1,000, are in `extensions.problems`). */
const PROBLEMS_IN_MESSAGE = 5;

@InputType()
export class ImportConsentsInput {
  @Field(() => ID, { description: 'The published privacy notice version every line of the file was shown.' })
  @IsUUID()
  privacyNoticeId: string;

  @Field({
    description:
      'The CSV text (header line, then one answer per line: customer_id, purposes, categories, recipients, ' +
      'valid_until[, valid_from, given_at], collection_method, jurisdiction[, language]); at most 90,000 characters.',
  })
  @IsString()
  @MaxLength(CONSENT_CSV_MAX_CHARS, { message: 'is longer than 90,000 characters: import it with the CLI' })
  csv: string;
}

@ObjectType()
export class ConsentImportResult {
  @Field(() => Int, { description: 'Data lines of the file (the header excluded); every one was stored.' })
  rows: number;

  @Field(() => [ID], { description: 'The consents stored, in the order of the lines.' })
  consentIds: string[];
}

/**
 * The partner's entry point for consents already given (issue 17): a CSV answered all or nothing.
 * Any refused line refuses the file with BAD_USER_INPUT naming each line and field (nothing is
 * stored); a good file is signed, stored, ledgered and registered with the federation per recipient.
 */
@Resolver()
export class ConsentImportResolver {
  constructor(private readonly imports: ConsentImportService) {}

  @Allow(Role.COMPLIANCE, Role.ADMIN)
  @Mutation(() => ConsentImportResult, {
    description:
      'Imports consents the customers already gave, as CSV (all or nothing: a refused line refuses the file, ' +
      'BAD_USER_INPUT with extensions.problems [{ line, field, reason }], the header being line 1).',
  })
  async importConsents(
    @Args('input') input: ImportConsentsInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ConsentImportResult> {
    const report = await this.imports.import([input.csv], {
      privacyNoticeId: input.privacyNoticeId,
      userId: user.id,
    });
    if (!report.written) throw importRefused(report);
    return { rows: report.rows, consentIds: report.consentIds };
  }
}

/** The refusal of a file: its problems in the message (the first few) and in `extensions`. */
export function importRefused(report: ConsentImportReport): ValidationError {
  if (report.fileProblems.length > 0) {
    return new ValidationError('csv', report.fileProblems.join('; '), { fileProblems: report.fileProblems });
  }
  const named = report.problems
    .slice(0, PROBLEMS_IN_MESSAGE)
    .map((p) => `line ${p.line}: ${p.field} ${p.reason}`);
  const more = report.badRows > named.length ? `; … ${report.badRows} lines refused in all` : '';
  return new ValidationError('csv', `nothing was stored: ${named.join('; ')}${more}`, {
    badRows: report.badRows,
    problems: report.problems,
  });
}
