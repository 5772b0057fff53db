import { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import type { ImportProgress } from '../import-export/import-report.js';

/** A progress bar on stderr for an import: bytes of the file read, rows and rows/s. Silent off a TTY. */
export function importProgressBar(label: string, totalBytes: number) {
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| {percentage}% | {rows} rows | {speed} rows/s | {bad} bad | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(totalBytes, 1), 0, { rows: 0, speed: 0, bad: 0 });
  return {
    update(progress: ImportProgress): void {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(progress.bytesRead, {
        rows: progress.rows.toLocaleString('en'),
        speed: Math.round(progress.rows / seconds).toLocaleString('en'),
        bad: progress.badRows.toLocaleString('en'),
      });
    },
    stop(): void {
      bar.stop();
    },
  };
}

/**
 * Reads a secret: from the terminal without echo, or the first line of stdin when it is piped.
 */
export async function promptSecret(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = createInterface({ input, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => resolve(answer));
      muted = true;
    });
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
