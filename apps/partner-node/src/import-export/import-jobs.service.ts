import { Injectable } from '@nestjs/common';
import { NotFoundError } from '#platform/errors/app-errors';
import type { ImportProgress } from './import-report.js';

export type ImportPhase = 'reading' | 'merging' | 'done' | 'failed';

/** What the console polls while its upload runs: bytes and rows read so far, out of the file's size. */
export interface ImportJobState {
  jobId: string;
  userId: string;
  kind: 'customers' | 'orders';
  dryRun: boolean;
  phase: ImportPhase;
  totalBytes: number;
  bytesRead: number;
  rows: number;
  badRows: number;
  startedAt: Date;
  finishedAt: Date | null;
}

/** How long a finished job's progress stays readable. */
const KEEP_FINISHED_MS = 10 * 60_000;

/**
 * Progress of the uploads running in this process, by the job id the console chose. It lives in
 * memory because the upload streams through this process for its whole length: the progress is
 * read back from the same process (with several replicas, the balancer must keep a user's requests
 * on one replica, or the bar waits for the upload's answer, which carries the whole report).
 */
@Injectable()
export class ImportJobsService {
  private readonly jobs = new Map<string, ImportJobState>();

  start(job: Omit<ImportJobState, 'phase' | 'bytesRead' | 'rows' | 'badRows' | 'startedAt' | 'finishedAt'>) {
    this.sweep();
    if (this.jobs.has(job.jobId)) return undefined;
    const state: ImportJobState = {
      ...job,
      phase: 'reading',
      bytesRead: 0,
      rows: 0,
      badRows: 0,
      startedAt: new Date(),
      finishedAt: null,
    };
    this.jobs.set(job.jobId, state);
    return state;
  }

  progress(state: ImportJobState, progress: ImportProgress): void {
    state.bytesRead = progress.bytesRead;
    state.rows = progress.rows;
    state.badRows = progress.badRows;
  }

  finish(state: ImportJobState, phase: 'done' | 'failed'): void {
    state.phase = phase;
    state.finishedAt = new Date();
    if (phase === 'done') state.bytesRead = state.totalBytes;
  }

  /** A job of this user (another user's job is as unknown as a job that never was). */
  get(jobId: string, userId: string): ImportJobState {
    const job = this.jobs.get(jobId);
    if (!job || job.userId !== userId) throw new NotFoundError('Import job', jobId);
    return job;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) {
      if (job.finishedAt && now - job.finishedAt.getTime() > KEEP_FINISHED_MS) this.jobs.delete(id);
    }
  }
}
