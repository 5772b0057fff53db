import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConsentImportService, type ConsentImportReport } from '../consents/consent-import.service.js';
import type { PartnerNodeConfig } from '../config.js';
import { CustomerExportService } from '../import-export/customer-export.service.js';
import { CustomerImportService } from '../import-export/customer-import.service.js';
import type { ImportReport } from '../import-export/import-report.js';
import { OrderImportService } from '../import-export/order-import.service.js';
import { number, UsageError, withApp, type CliIo } from './cli-context.js';
import { importProgressBar } from './terminal.js';

// The data commands: import-customers, import-orders, import-consents, export-customer.

function printReport(file: string, report: ImportReport, io: CliIo, skipInvalid: boolean): void {
  const name = basename(file);
  if (report.fileProblems.length > 0) {
    io.err(`${name}: cannot be imported:`);
    for (const problem of report.fileProblems) io.err(`  ${problem}`);
  }
  const seconds = report.durationMs / 1000;
  const rate = seconds > 0 ? Math.round(report.rows / seconds) : report.rows;
  io.out(`${name}: ${number(report.rows)} rows in ${seconds.toFixed(1)} s (${number(rate)} rows/s).`);
  if (report.badRows > 0) {
    const shown = report.problems.slice(0, 100);
    io.err(`${number(report.badRows)} bad row(s):`);
    for (const problem of shown) io.err(`  line ${problem.line}: ${problem.reason}`);
    if (report.badRows > shown.length)
      io.err(`  … and ${number(report.badRows - shown.length)} more (see --report <file.csv> for the list)`);
  }
  if (report.notCounted) io.err(notCountedWarning(report.notCounted));
  if (report.dryRun) {
    io.out('Checked only (--check): nothing was written. Run again without --check to import.');
    return;
  }
  if (!report.written) {
    io.err(
      report.badRows > 0 && !skipInvalid && report.fileProblems.length === 0
        ? 'Nothing was written. Fix the rows above, or import the good ones with --skip-invalid.'
        : 'Nothing was written.',
    );
    return;
  }
  const what = report.kind === 'customers' ? 'customers' : 'orders';
  const details = Object.entries(report.details)
    .map(([key, value]) => `${key} written ${number(value)}`)
    .join(', ');
  io.out(
    `Imported ${what}: ${number(report.inserted)} created, ${number(report.updated)} updated, ` +
      `${number(report.unchanged)} unchanged${details ? `; ${details}` : ''}.`,
  );
}

/** Said before (with --check) or after an import: these orders will count for nothing in statistics. */
export function notCountedWarning(notCounted: NonNullable<ImportReport['notCounted']>): string {
  const statuses = Object.entries(notCounted.byStatus)
    .map(([status, orders]) => `${status}: ${number(orders)}`)
    .join(', ');
  return (
    `Warning: ${number(notCounted.orders)} of ${number(notCounted.ofOrders)} order(s) will not count in sales ` +
    `statistics, RFM or segment rules (${statuses}); only ${notCounted.countedStatuses.join(', ')} count.` +
    (notCounted.statusColumnMissing
      ? ' The file has no status column, so every order becomes "pending": add a status column (e.g. delivered).'
      : '')
  );
}

async function writeProblems(path: string, report: ImportReport): Promise<void> {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const lines = ['line,reason', ...report.problems.map((p) => `${p.line},${quote(p.reason)}`)];
  for (const problem of report.fileProblems) lines.push(`,${quote(problem)}`);
  await writeFile(path, `${lines.join('\n')}\n`);
}

export async function importCommand(
  kind: 'customers' | 'orders',
  config: PartnerNodeConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'skip-invalid': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      report: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError(`import-${kind} needs one CSV file`);
  const file = positionals[0];
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
  if (size === undefined) {
    io.err(`${file}: no such file`);
    return 1;
  }
  const skipInvalid = values['skip-invalid'];
  const report = await withApp(config, async (app) => {
    const service = kind === 'customers' ? app.get(CustomerImportService) : app.get(OrderImportService);
    const bar = values.json ? undefined : importProgressBar(`import ${kind}`, size);
    try {
      return await service.import(createReadStream(file, { highWaterMark: 1024 * 1024 }), {
        skipInvalid,
        dryRun: values.check,
        onProgress: (progress) => bar?.update(progress),
        onMerge: () => {
          bar?.stop();
          if (!values.json && process.stderr.isTTY) io.err('Merging into the database…');
        },
      });
    } finally {
      bar?.stop();
    }
  });
  if (values.report) await writeProblems(values.report, report);
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printReport(file, report, io, skipInvalid);
  return report.written || (report.dryRun && report.badRows === 0 && report.fileProblems.length === 0)
    ? 0
    : 1;
}

/**
 * Consents already given, from a CSV against one published notice version: checked, signed,
 * stored with their ledger entries and registered with the federation, or nothing stored when
 * any line is refused (each named with its line and field).
 */
export async function importConsentsCommand(
  config: PartnerNodeConfig,
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { notice: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('import-consents needs one CSV file');
  if (!values.notice) throw new UsageError('import-consents needs --notice <privacy notice id>');
  const file = positionals[0];
  const isFile = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) {
    io.err(`${file}: no such file`);
    return 1;
  }
  const report = await withApp(config, (app) =>
    app
      .get(ConsentImportService)
      .import(createReadStream(file, { highWaterMark: 1024 * 1024 }), { privacyNoticeId: values.notice! }),
  );
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printConsentReport(file, report, io);
  return report.written ? 0 : 1;
}

function printConsentReport(file: string, report: ConsentImportReport, io: CliIo): void {
  const name = basename(file);
  for (const problem of report.fileProblems) io.err(`${name}: cannot be imported: ${problem}`);
  const seconds = report.durationMs / 1000;
  io.out(`${name}: ${number(report.rows)} consents in ${seconds.toFixed(1)} s.`);
  if (report.badRows > 0) {
    io.err(`${number(report.badRows)} refused line(s):`);
    for (const p of report.problems.slice(0, 100)) io.err(`  line ${p.line}: ${p.field} ${p.reason}`);
    if (report.badRows > 100)
      io.err(`  … and ${number(report.badRows - 100)} more (--json lists up to 1,000)`);
  }
  if (!report.written) {
    io.err('Nothing was stored.');
    return;
  }
  io.out(
    `Imported ${number(report.consentIds.length)} consents: signed, stored and registered with the federation.`,
  );
}

export async function exportCommand(config: PartnerNodeConfig, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'external-id': { type: 'boolean', default: false }, out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('export-customer needs one customer id');
  return withApp(config, async (app) => {
    const service = app.get(CustomerExportService);
    const id = values['external-id'] ? await service.idOfExternal(positionals[0]) : positionals[0];
    const document = JSON.stringify(await service.export(id), null, 2);
    if (values.out) {
      // Personal data: readable by its owner only.
      await writeFile(values.out, `${document}\n`, { mode: 0o600 });
      io.err(`Customer ${id} exported to ${values.out}.`);
    } else {
      io.out(document);
    }
    return 0;
  });
}
