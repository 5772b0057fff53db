import { EventEmitter } from 'node:events';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * A `pg`-shaped Pool over one embedded PGlite database, handed to TypeORM's postgres driver so the
 * product runs with nothing but Node installed.
 *
 * PGlite is a single session, so the pool hands out its one client exclusively: a caller that
 * starts a transaction holds the session until it releases it, and others wait. Without that,
 * two concurrent transactions would interleave their statements in the same session.
 */
type Callback = (err: Error | null, client?: PGliteClient, release?: (err?: Error) => void) => void;

/** A `pg` query config: a named one is a prepared statement in `pg`; PGlite ignores the name. */
export interface PgQueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
}

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

const instances = new Map<string, Promise<PGlite>>();

function openDatabase(dataDir: string): Promise<PGlite> {
  let db = instances.get(dataDir);
  if (!db) {
    // `memory://name` is an in-memory database; distinct names are distinct databases.
    db = PGlite.create(dataDir.startsWith('memory://') ? undefined : dataDir, {
      extensions: { pg_trgm },
      // Same value shapes as `pg`: 64-bit integers as strings, so no precision is lost silently.
      parsers: { [types.INT8]: (value: string) => value },
    });
    instances.set(dataDir, db);
  }
  return db;
}

function commandOf(sql: string): string {
  const match = /^\s*(\w+)/.exec(sql);
  return match ? match[1].toUpperCase() : '';
}

class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(
    sql: string | PgQueryConfig,
    params?: unknown[] | ((...a: unknown[]) => void),
  ): Promise<PgResult> {
    const text = typeof sql === 'string' ? sql : sql.text;
    const values = Array.isArray(params) ? params : typeof sql === 'string' ? undefined : sql.values;
    if (values && values.length > 0) {
      const result = await this.db.query(text, values);
      return {
        rows: result.rows,
        rowCount: result.affectedRows ?? result.rows.length,
        command: commandOf(text),
        fields: result.fields,
      };
    }
    // Without parameters the text may hold several statements (migrations); the last result wins, as in pg.
    const results = await this.db.exec(text);
    const last = results[results.length - 1];
    return {
      rows: last?.rows ?? [],
      rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
      command: commandOf(text),
      fields: last?.fields ?? [],
    };
  }
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

export function createPGlitePoolClass(dataDir: string): new () => EventEmitter {
  const mutex = new Mutex();
  return class PGlitePool extends EventEmitter {
    connect(callback: Callback): void {
      void (async () => {
        try {
          const db = await openDatabase(dataDir);
          const unlock = await mutex.acquire();
          let released = false;
          const client = new PGliteClient(db);
          callback(null, client, () => {
            if (released) return;
            released = true;
            unlock();
          });
        } catch (error) {
          callback(error as Error);
        }
      })();
    }

    async query(sql: string | PgQueryConfig, params?: unknown[]): Promise<PgResult> {
      const db = await openDatabase(dataDir);
      const unlock = await mutex.acquire();
      try {
        return await new PGliteClient(db).query(sql, params);
      } finally {
        unlock();
      }
    }

    end(callback?: (err: Error | null) => void): Promise<void> {
      const closing = (async () => {
        const db = instances.get(dataDir);
        instances.delete(dataDir);
        if (db) await (await db).close();
      })();
      closing.then(
        () => callback?.(null),
        (err: Error) => callback?.(err),
      );
      return closing;
    }
  };
}

/** The module object TypeORM expects in place of `require('pg')`. */
export function pgliteDriver(dataDir: string): { Pool: new () => EventEmitter } {
  return { Pool: createPGlitePoolClass(dataDir) };
}
