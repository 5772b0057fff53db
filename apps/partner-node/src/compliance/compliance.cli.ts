import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { CustomerExportService } from '../import-export/customer-export.service.js';
import { AccessReportService } from './access-report.service.js';

export const ACCESS_REPORT_COMMAND = 'access-report';

export const ACCESS_REPORT_USAGE = `  access-report <id> [--external-id] [--html <file.html>] [--out <file.json>]
                                        Everything held and shared about one customer (GDPR Art. 15):
                                        JSON on stdout (or --out), readable HTML with --html`;

export interface AccessReportIo {
  out(text: string): void;
  err(text: string): void;
}

/** `concordia access-report`: returns the exit code (2 for wrong usage). AppErrors propagate. */
export async function runAccessReportCommand(
  app: INestApplicationContext,
  args: string[],
  io: AccessReportIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'external-id': { type: 'boolean', default: false },
      html: { type: 'string' },
      out: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) {
    io.err(`concordia ${ACCESS_REPORT_COMMAND}: needs one customer id\nRun "concordia help" for the usage.`);
    return 2;
  }
  const id = values['external-id']
    ? await app.get(CustomerExportService).idOfExternal(positionals[0]!)
    : positionals[0]!;
  const reports = app.get(AccessReportService);
  const report = await reports.report(id);
  const json = JSON.stringify(report, null, 2);
  // Personal data: files readable by their owner only.
  if (values.html) {
    await writeFile(values.html, reports.html(report), { mode: 0o600 });
    io.err(`Access report of customer ${id} written to ${values.html}.`);
  }
  if (values.out) {
    await writeFile(values.out, `${json}\n`, { mode: 0o600 });
    io.err(`Access report of customer ${id} written to ${values.out}.`);
  }
  if (!values.html && !values.out) io.out(json);
  return 0;
}
