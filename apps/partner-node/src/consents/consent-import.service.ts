import { Injectable } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { CsvFatalError, readCsv, type CsvSource } from '#platform/csv/csv-reader';
import { DataCategory, Purpose } from '../agreements/agreement.enums.js';
import { CollectionMethod } from './consent.entity.js';
import { GiveConsentInput } from './consents.dto.js';
import { meetsGiveConsentRules } from './give-consent-rules.js';
import {
  ConsentsBulkService,
  type BulkConsentLine,
  type BulkConsentProblem,
} from './consents-bulk.service.js';

/**
 * The columns of a consents CSV: one customer's answer per line, against the notice version named
 * by the import. Lists (purposes, categories, recipients) are separated by `;` or spaces; times are
 * ISO 8601.
 */
export const CONSENT_CSV_COLUMNS = [
  'customer_id',
  'purposes',
  'categories',
  'recipients',
  'valid_until',
  'valid_from',
  'given_at',
  'collection_method',
  'jurisdiction',
  'language',
] as const;
const REQUIRED = [
  'customer_id',
  'purposes',
  'categories',
  'recipients',
  'valid_until',
  'collection_method',
  'jurisdiction',
];

export interface ConsentImportReport {
  /** True when every consent was stored; false when nothing was. */
  written: boolean;
  rows: number;
  badRows: number;
  /** Refused lines (the header is line 1), at most 1,000: the field and the rule, never the value. */
  problems: BulkConsentProblem[];
  fileProblems: string[];
  consentIds: string[];
  durationMs: number;
}

const list = (value: string): string[] => value.split(/[;\s]+/u).filter((v) => v.length > 0);
/** A value of the enum, written either as in GraphQL (`CUSTOMER_CARE`) or as stored (`customer-care`). */
const member = (values: Record<string, string>, text: string): string => values[text] ?? text;

/**
 * Imports consents the customers already gave (a CSV of their answers against one published
 * notice version): all or nothing per file, every bad line reported with its number; the good
 * file goes through ConsentsBulkService (signed, stored, ledgered, registered per recipient).
 */
@Injectable()
export class ConsentImportService {
  constructor(private readonly bulk: ConsentsBulkService) {}

  async import(
    source: CsvSource,
    options: { privacyNoticeId: string; userId?: string | null },
  ): Promise<ConsentImportReport> {
    const started = Date.now();
    const report: ConsentImportReport = {
      written: false,
      rows: 0,
      badRows: 0,
      problems: [],
      fileProblems: [],
      consentIds: [],
      durationMs: 0,
    };
    const done = (): ConsentImportReport => ({ ...report, durationMs: Date.now() - started });
    const lines: BulkConsentLine[] = [];
    const bad = new Set<number>();
    const problem = (line: number, field: string, reason: string): void => {
      bad.add(line);
      if (report.problems.length < 1000) report.problems.push({ line, field, reason });
    };
    let header: string[] | undefined;
    try {
      for await (const chunk of readCsv(source)) {
        for (const syntax of chunk.problems) problem(syntax.line, 'line', syntax.reason);
        for (const record of chunk.records) {
          if (!header) {
            header = record.fields.map((f) => f.trim().toLowerCase());
            const unknown = header.filter((h) => !(CONSENT_CSV_COLUMNS as readonly string[]).includes(h));
            const missing = REQUIRED.filter((h) => !header!.includes(h));
            if (unknown.length > 0) report.fileProblems.push(`unknown columns: ${unknown.join(', ')}`);
            if (missing.length > 0) report.fileProblems.push(`missing columns: ${missing.join(', ')}`);
            if (report.fileProblems.length > 0) return done();
            continue;
          }
          report.rows += 1;
          const input = this.parse(record.line, header, record.fields, options.privacyNoticeId, problem);
          if (input) lines.push({ line: record.line, input });
        }
      }
    } catch (error) {
      if (error instanceof CsvFatalError) {
        report.fileProblems.push(error.message);
        return done();
      }
      throw error;
    }
    if (!header) {
      report.fileProblems.push('the file is empty: a header line is needed');
      return done();
    }
    if (bad.size > 0) {
      report.badRows = bad.size;
      report.problems.sort((a, b) => a.line - b.line);
      return done();
    }
    const outcome = await this.bulk.giveMany(lines, options.userId ?? null);
    if (!outcome.ok) {
      report.badRows = outcome.badLines;
      report.problems = outcome.problems;
      return done();
    }
    report.written = true;
    report.consentIds = outcome.consentIds;
    return done();
  }

  /** A line as the GraphQL input it stands for, checked by the same rules; undefined when refused. */
  private parse(
    line: number,
    header: readonly string[],
    fields: readonly string[],
    privacyNoticeId: string,
    problem: (line: number, field: string, reason: string) => void,
  ): GiveConsentInput | undefined {
    if (fields.length !== header.length) {
      problem(line, 'line', `has ${fields.length} fields, the header ${header.length}`);
      return undefined;
    }
    const value = (column: string): string | undefined => {
      const at = header.indexOf(column);
      const text = at < 0 ? '' : fields[at]!.trim();
      return text === '' ? undefined : text;
    };
    let refused = false;
    const date = (column: string, field: string): Date | undefined => {
      const text = value(column);
      if (text === undefined) return undefined;
      const parsed = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))?$/u.test(text)
        ? new Date(text)
        : undefined;
      if (!parsed || Number.isNaN(parsed.getTime())) {
        problem(line, field, 'must be an ISO 8601 date or time');
        refused = true;
      }
      return parsed;
    };
    // The values are parsed already (dates, lists): the instance validateSync needs is made by
    // assignment, not by class-transformer's walk of the class (5 µs a line, 0.1 s in 20,000).
    const input = Object.assign(new GiveConsentInput(), {
      customerId: value('customer_id') ?? '',
      purposes: list(value('purposes') ?? '').map((v) => member(Purpose, v)),
      categories: list(value('categories') ?? '').map((v) => member(DataCategory, v)),
      recipients: list(value('recipients') ?? ''),
      validUntil: date('valid_until', 'validUntil'),
      validFrom: date('valid_from', 'validFrom'),
      givenAt: date('given_at', 'givenAt'),
      collectionMethod: member(CollectionMethod, value('collection_method') ?? ''),
      jurisdiction: value('jurisdiction') ?? '',
      language: value('language'),
      privacyNoticeId,
    });
    // validateSync only for a line that breaks a rule: its messages name the field and the rule.
    const errors = meetsGiveConsentRules(input) ? [] : validateSync(input);
    for (const error of errors) {
      refused = true;
      const rule = Object.values(error.constraints ?? {})[0] ?? 'is not valid';
      // class-validator's messages start with the property name; the field is reported apart.
      problem(
        line,
        error.property,
        rule.replace(new RegExp(`^(each value in )?${error.property} `), (_, each?: string) =>
          each ? 'each value ' : '',
        ),
      );
    }
    return refused ? undefined : input;
  }
}
