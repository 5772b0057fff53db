/** What an import reports: counts, and every bad row with its line number and reason. */
export interface RowProblem {
  /** Line of the file where the row starts (the header is line 1). */
  line: number;
  /** Column and rule, e.g. `email: is not a valid e-mail address`; never the value itself. */
  reason: string;
}

export interface ImportProgress {
  bytesRead: number;
  /** Data rows read so far (good and bad). */
  rows: number;
  badRows: number;
}

export interface ImportOptions {
  /** Import the good rows and report the bad ones (default: any bad row means nothing is written). */
  skipInvalid?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Called once the file is read, before the merge into the real tables starts. */
  onMerge?: () => void;
  /** Keep at most this many problems in the report; all are counted (default 10,000). */
  maxProblems?: number;
  /** Read and check everything, report, then roll back: nothing is written (the console's preview). */
  dryRun?: boolean;
}

/**
 * Orders of the file that sales statistics, RFM and segment rules will not count, because of their
 * status (only COUNTED_ORDER_STATUSES count; a missing status becomes `pending`). Said before the
 * import is confirmed: a file without a status column silently counts for nothing otherwise.
 */
export interface NotCountedOrders {
  /** Orders (not lines) whose status is not counted. */
  orders: number;
  /** Orders of the file that will be imported (the good ones). */
  ofOrders: number;
  /** Not-counted orders per status, e.g. { pending: 11206 }. */
  byStatus: Record<string, number>;
  /** True when the file has no status column (every order becomes `pending`). */
  statusColumnMissing: boolean;
  /** The statuses that count. */
  countedStatuses: string[];
}

export interface ImportReport {
  kind: 'customers' | 'orders';
  /** True when the merge was committed; false when nothing was written. */
  written: boolean;
  /** Data rows in the file (the header excluded). */
  rows: number;
  /** Rows refused, with the first `maxProblems` of them, sorted by line. */
  badRows: number;
  problems: RowProblem[];
  /** Problems with the file as a whole (header, encoding); nothing was read. */
  fileProblems: string[];
  /** Records created, changed and left as they were (customers, or orders). */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Child rows written: e-mails and phones of customers, lines of orders. */
  details: Record<string, number>;
  durationMs: number;
  /** Orders imports: the orders that statistics will not count (absent when all count). */
  notCounted?: NotCountedOrders;
  /** True when the import was a dry run (nothing written by design). */
  dryRun?: boolean;
}

export const DEFAULT_MAX_PROBLEMS = 10_000;
