import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/**
 * Structured logs (pino, JSON lines). Personal data never goes to logs: we log ids, codes and
 * durations, never request variables, names, e-mails or phones. The redaction list below is a
 * second line of defence for objects that would slip through.
 */
const REDACT = [
  '*.email',
  '*.emails',
  '*.phone',
  '*.phones',
  '*.password',
  '*.passwordHash',
  '*.name',
  '*.firstName',
  '*.lastName',
  '*.address',
  '*.variables',
  '*.authorization',
  'req.headers.authorization',
];

let root: Logger | undefined;

export function getLogger(): Logger {
  root ??= pino({
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: process.env.SERVICE_NAME ?? 'concordia' },
  });
  return root;
}

/** Nest's logger interface over pino, so framework messages are structured too. */
export class PinoNestLogger implements LoggerService {
  private readonly logger = getLogger();
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
