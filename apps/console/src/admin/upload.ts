import { session } from '../auth/session';

/** The import report of POST /imports/:kind (apps/partner-node/src/import-export/import-report.ts). */
export interface ImportReport {
  kind: 'customers' | 'orders';
  written: boolean;
  dryRun?: boolean;
  rows: number;
  badRows: number;
  problems: { line: number; reason: string }[];
  fileProblems: string[];
  inserted: number;
  updated: number;
  unchanged: number;
  details: Record<string, number>;
  durationMs: number;
  notCounted?: {
    orders: number;
    ofOrders: number;
    byStatus: Record<string, number>;
    statusColumnMissing: boolean;
    countedStatuses: string[];
  };
}

export class UploadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Streams the file to the node's import endpoint (not GraphQL: a CSV can be far bigger than a
 * GraphQL body may be). The bearer token authenticates it, as for GraphQL; no cookie is sent.
 */
export async function uploadCsv(
  kind: 'customers' | 'orders',
  file: File,
  options: { jobId: string; dryRun: boolean; skipInvalid: boolean },
): Promise<ImportReport> {
  const token = await session.accessToken();
  const query = new URLSearchParams({
    jobId: options.jobId,
    dryRun: String(options.dryRun),
    skipInvalid: String(options.skipInvalid),
  });
  const response = await fetch(`/imports/${kind}?${query.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: file,
    credentials: 'omit',
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    // HttpErrorFilter answers { error: { code, message, field } }.
    const error = (body['error'] ?? {}) as Record<string, unknown>;
    throw new UploadError(
      typeof error['code'] === 'string' ? error['code'] : String(response.status),
      typeof error['message'] === 'string' ? error['message'] : response.statusText,
      typeof error['field'] === 'string' ? error['field'] : undefined,
    );
  }
  return body as unknown as ImportReport;
}

/** The problems as a CSV (line, reason), like the CLI's --report. */
export function problemsCsv(report: ImportReport): string {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const lines = ['line,reason', ...report.problems.map((p) => `${p.line},${quote(p.reason)}`)];
  for (const problem of report.fileProblems) lines.push(`,${quote(problem)}`);
  return `${lines.join('\n')}\n`;
}
