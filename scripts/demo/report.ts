import cliProgress from 'cli-progress';
import type { StepReporter } from '../../apps/partner-node/src/demo/demo-seed.js';

/**
 * What the demo prints: one line when a piece of work starts and one when it ends (with its
 * time), progress bars for long loops when stdout is a terminal, and small tables.
 */
const out = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

export const print = out;

/** A work line that writes its "…" and "✓" lines through `write`. */
const workLineTo =
  (write: (line: string) => void): StepReporter =>
  async (name, run, describe) => {
    const t0 = performance.now();
    write(`    … ${name}`);
    try {
      const result = await run();
      write(`    ✓ ${describe ? describe(result) : name} (${seconds(t0)})`);
      return result;
    } catch (error) {
      write(`    ✗ ${name}: ${(error as Error).message}`);
      throw error;
    }
  };

/** Runs one piece of work between a "…" line and a "✓" (or "✗") line. */
export const workLine: StepReporter = workLineTo(out);

/**
 * Runs the tasks side by side (each embedded database has its own thread) and prints their work
 * lines as if they had run one after the other: the first unfinished task prints as it goes, the
 * others hold their lines until every task before them is done. Every task settles before a
 * failure is reported.
 */
export async function sideBySide<T>(tasks: readonly ((step: StepReporter) => Promise<T>)[]): Promise<T[]> {
  const held: string[][] = tasks.map(() => []);
  const done = tasks.map(() => false);
  let printing = 0;
  const settled = await Promise.allSettled(
    tasks.map(async (task, index) => {
      try {
        return await task(workLineTo((line) => (index === printing ? out(line) : held[index]!.push(line))));
      } finally {
        done[index] = true;
        while (printing < tasks.length && done[printing]) {
          printing++;
          for (const line of held[printing] ?? []) out(line);
          held[printing] = [];
        }
      }
    }),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

/** A progress bar on a terminal; elsewhere (CI logs) a line at each quarter of the work. */
export function progressBar(label: string, total: number): Progress {
  if (total === 0) return { tick: () => undefined, stop: () => undefined };
  if (!process.stdout.isTTY) {
    let done = 0;
    const quarter = Math.ceil(total / 4);
    return {
      tick: (by = 1) => {
        const before = Math.floor(done / quarter);
        done += by;
        if (Math.floor(done / quarter) > before && done < total) {
          out(`      ${label}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`);
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `      ${label} |{bar}| {value}/{total} | ETA {eta_formatted}`, hideCursor: true, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (by = 1) => bar.increment(by), stop: () => bar.stop() };
}

/** Runs `work` on every item, `concurrency` at a time, ticking the progress bar. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  progress: Progress,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
      progress.tick();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  } finally {
    progress.stop();
  }
}

/** A plain-text table, columns padded to their widest cell. */
export function table(headers: string[], rows: string[][], indent = '      '): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${indent}${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}

export type StepResult = { summary: string[] } | { skipped: string };

/** One named step of the scenario: a small function with its own summary. */
export interface DemoStep<Context> {
  number: number;
  title: string;
  run(context: Context): Promise<StepResult>;
}

/**
 * Runs the steps in order, each between a header and its summary. A failed step stops the
 * scenario (the next ones depend on it); returns whether every step that ran succeeded.
 */
export async function runSteps<Context>(
  steps: readonly DemoStep<Context>[],
  context: Context,
): Promise<boolean> {
  for (const [index, step] of steps.entries()) {
    const t0 = performance.now();
    out();
    out(`Step ${step.number}. ${step.title}`);
    try {
      const result = await step.run(context);
      if ('skipped' in result) {
        out(`  – skipped: ${result.skipped}`);
        continue;
      }
      for (const line of result.summary) out(`  ${line}`);
      out(`  ✓ step ${step.number} done in ${seconds(t0)}`);
    } catch (error) {
      out(`  ✗ step ${step.number} failed after ${seconds(t0)}: ${(error as Error).message}`);
      const rest = steps.slice(index + 1).map((s) => s.number);
      if (rest.length > 0) out(`  (not run: step${rest.length > 1 ? 's' : ''} ${rest.join(', ')})`);
      return false;
    }
  }
  return true;
}
