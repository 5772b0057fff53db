import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PGliteOptions } from '@electric-sql/pglite';

/**
 * A `pg`-shaped Pool over one embedded PGlite database, handed to TypeORM's postgres driver so the
 * product runs with nothing but Node installed.
 *
 * Each database runs in its own worker thread: PGlite executes SQL synchronously in WebAssembly, so
 * on the main thread it would stall HTTP, signing and every other database of the process (the demo
 * runs four of them) while a statement runs. The pool talks to the worker by messages — query text
 * and parameters in, rows, fields and the affected count out, errors with their PostgreSQL fields
 * (code, detail, constraint…) so the error mapping reads them as it reads `pg`'s.
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

/** What the worker answers to one statement: PGlite's result, or the error's cloneable fields. */
type Reply =
  | {
      id: number;
      result: { rows: unknown[]; affectedRows?: number; fields: PgResult['fields'] }[];
      /** The database's files as a tarball (PGlite's `dumpDataDir`), for a `dump` request. */
      dump?: Blob;
    }
  | { id: number; error: Record<string, string | number | boolean> & { message: string } };

type Request =
  { id: number; sql: string; params?: unknown[] } | { id: number; close: true } | { id: number; dump: true };

/** A compiled WebAssembly module: the project compiles without the DOM library, which declares it. */
type WasmModule = NonNullable<PGliteOptions['pgliteWasmModule']>;
declare const WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule };

interface WorkerPaths {
  pglite: string;
  pgTrgm: string;
  dataDir: string | undefined;
}

/**
 * What a database thread starts from, besides the paths: PostgreSQL's WebAssembly compiled once for
 * the process (a compiled module crosses to a worker without being compiled again), and for an
 * in-memory database the files of a freshly initialised cluster, when another in-memory database of
 * the process already made them (see `clusterTemplate`).
 */
interface WorkerStart {
  paths: WorkerPaths;
  pgliteWasmModule: WasmModule;
  initdbWasmModule: WasmModule;
  /** A tarball of a fresh cluster (PGlite's `dumpDataDir`) to start from instead of running initdb. */
  template?: Blob;
  /**
   * Stored tarballs to start from, the first that loads (the migrated cluster, then the fresh
   * one), read by the worker itself: 40 MB read and copied into a Blob cost the main thread about a
   * quarter of a second a database.
   */
  templateFiles?: string[];
  /** Send a tarball of the fresh cluster (`{ template }`) before serving the first statement. */
  offerTemplate: boolean;
}

/**
 * The worker's program. It is sent as source text (`eval`), so that it runs the same from the built
 * JavaScript and under the test runner's on-the-fly TypeScript; it may use only `workerData` and
 * `require`, nothing from this module's scope.
 */
function workerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- an eval'd worker is a CommonJS script */
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { readFileSync: readFile } = require('node:fs') as typeof import('node:fs');
  const start = workerData as WorkerStart;
  const { PGlite, types } = require(start.paths.pglite) as typeof import('@electric-sql/pglite');
  const { pg_trgm } = require(start.paths.pgTrgm) as typeof import('@electric-sql/pglite/contrib/pg_trgm');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const port = parentPort!;
  // An in-memory database dies with the process, so what PostgreSQL writes to survive a crash is
  // work for nothing: full-page images and WAL beyond the minimum, checkpoints, waiting for commit,
  // and zeros written through each new 16 MB WAL file (growing an in-memory file copies it: half of
  // the file system's copying in a demo's database). A database on disk keeps PostgreSQL's defaults. (Inside workerMain: it sees nothing outside.)
  // Larger shared buffers (256 MB) made the demo slower: four databases' buffers allocated for nothing.
  const IN_MEMORY_SETTINGS = [
    ...['full_page_writes=off', 'wal_level=minimal', 'max_wal_senders=0', 'synchronous_commit=off'],
    ...['max_wal_size=8GB', 'checkpoint_timeout=1d', 'wal_init_zero=off'],
  ].flatMap((setting) => ['-c', setting]);
  const create = (template: Blob | undefined) =>
    PGlite.create(start.paths.dataDir, {
      extensions: { pg_trgm },
      startParams: start.paths.dataDir ? undefined : [...PGlite.defaultStartParams, ...IN_MEMORY_SETTINGS],
      // Same value shapes as `pg`: 64-bit integers as strings, so no precision is lost silently.
      parsers: { [types.INT8]: (value: string) => value },
      pgliteWasmModule: start.pgliteWasmModule,
      initdbWasmModule: start.initdbWasmModule,
      loadDataDir: template,
    });
  const opening = (async () => {
    const templates = [
      ...(start.template ? [() => start.template] : []),
      ...(start.templateFiles ?? []).map((file) => () => new Blob([readFile(file)])),
    ];
    let db;
    for (const template of templates) {
      // A stored cluster that does not load (damaged, or from another build): the next, or initdb.
      try {
        db = await create(template());
        break;
      } catch {
        db = undefined;
      }
    }
    db ??= await create(undefined);
    // Taken before any statement runs: the cluster exactly as initdb left it.
    if (start.offerTemplate) port.postMessage({ template: await db.dumpDataDir('none') });
    return db;
  })();
  // Only plain fields cross the thread boundary (an error's `queryOptions` holds functions).
  const cloneable = (error: unknown) => {
    const fields: Record<string, string | number | boolean> = {};
    if (error && typeof error === 'object') {
      for (const [key, value] of Object.entries(error)) {
        if (['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value as string;
      }
    }
    return { ...fields, message: error instanceof Error ? error.message : String(error) };
  };
  port.on('message', (request: Request) => {
    void (async () => {
      try {
        const db = await opening;
        if ('close' in request) {
          await db.close();
          port.postMessage({ id: request.id, result: [] });
          return;
        }
        if ('dump' in request) {
          port.postMessage({ id: request.id, result: [], dump: await db.dumpDataDir('none') });
          return;
        }
        const result =
          request.params && request.params.length > 0
            ? [await db.query(request.sql, request.params)]
            : await db.exec(request.sql);
        port.postMessage({
          id: request.id,
          result: result.map((r) => ({ rows: r.rows, affectedRows: r.affectedRows, fields: r.fields })),
        });
      } catch (error) {
        port.postMessage({ id: request.id, error: cloneable(error) });
      }
    })();
  });
}

const resolveModule = createRequire(import.meta.url).resolve;

let compiledWasm: { pglite: WasmModule; initdb: WasmModule } | undefined;

/**
 * PostgreSQL's and initdb's WebAssembly, compiled once per process: each worker would otherwise
 * compile its own copy of the same 9 MB module (seconds of CPU per database).
 */
function postgresWasm(): { pglite: WasmModule; initdb: WasmModule } {
  if (!compiledWasm) {
    const dist = dirname(resolveModule('@electric-sql/pglite'));
    compiledWasm = {
      pglite: new WebAssembly.Module(readFileSync(join(dist, 'pglite.wasm'))),
      initdb: new WebAssembly.Module(readFileSync(join(dist, 'initdb.wasm'))),
    };
  }
  return compiledWasm;
}

/**
 * The files of a fresh cluster, shared by the in-memory databases of the process (the demo's four,
 * a test's several): the first one runs initdb and hands a tarball of the result over before it runs
 * any statement; the next ones load that tarball, which costs a fraction of initdb. Undefined when
 * the first one could not make it (each then runs initdb itself).
 */
let clusterTemplate: Promise<Blob | undefined> | undefined;

/**
 * Where the fresh cluster is kept between processes: `npm run build` makes it once
 * (scripts/embedded-cluster), as a PostgreSQL package runs initdb when it is installed rather than
 * each time the server starts; initdb in WebAssembly costs about 4 s of CPU, loading its tarball a
 * tenth of that. Under node_modules (a clean install starts without it) and named by PGlite's
 * version, so a cluster made by another PGlite is never loaded; EMBEDDED_CLUSTER_FILE puts it
 * elsewhere (a read-only install).
 *
 * With `schemaKey` (see `migrationsKey`): beside it, the cluster with a service's migrations
 * already applied, named by the migrations themselves, so that a changed migration is never
 * loaded from an old file.
 */
export function embeddedClusterFile(schemaKey?: string): string {
  const cluster = process.env.EMBEDDED_CLUSTER_FILE ?? defaultClusterFile();
  return schemaKey ? `${cluster.replace(/\.tar$/, '')}-schema-${schemaKey}.tar` : cluster;
}

function defaultClusterFile(): string {
  const pgliteRoot = dirname(dirname(resolveModule('@electric-sql/pglite')));
  const { version } = JSON.parse(readFileSync(join(pgliteRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const nodeModules = dirname(dirname(pgliteRoot));
  return join(nodeModules, '.cache', 'concordia', `pglite-${version}-cluster.tar`);
}

/** The stored fresh cluster, when the build made one. */
function storedCluster(): Promise<Blob | undefined> | undefined {
  const file = embeddedClusterFile();
  return existsSync(file) ? Promise.resolve(new Blob([readFileSync(file)])) : undefined;
}

/** The stored cluster with the migrations of `schemaKey` applied, when the build made one. */
function storedSchemaFile(schemaKey: string): string | undefined {
  const file = embeddedClusterFile(schemaKey);
  return existsSync(file) ? file : undefined;
}

/**
 * Starts making the fresh cluster that the process's in-memory databases start from, ahead of the
 * first of them: a program that will open several (the demo) calls this first thing, so that initdb
 * runs on another core while the program loads (or the stored cluster is read). The worker that made
 * it then stops.
 */
export function prepareEmbeddedCluster(): void {
  if (clusterTemplate) return;
  clusterTemplate = storedCluster();
  if (clusterTemplate) return;
  const maker = new DatabaseThread('memory://cluster-template');
  void clusterTemplate!.then(() => maker.close()).catch(() => undefined);
}

/**
 * Makes a fresh cluster with initdb (never the stored one) and stores it for the processes to come
 * (see embeddedClusterFile).
 */
export async function storeEmbeddedCluster(): Promise<{ file: string; bytes: number }> {
  const maker = new DatabaseThread('memory://cluster-template', { fresh: true });
  try {
    const template = await maker.freshTemplate;
    if (!template) throw new Error('initdb made no cluster');
    return await storeClusterFile(embeddedClusterFile(), template);
  } finally {
    await maker.close();
  }
}

/** Stores a cluster's tarball as `file`: written whole under another name first, so no process reads half of it. */
export async function storeClusterFile(
  file: string,
  tarball: Blob,
): Promise<{ file: string; bytes: number }> {
  mkdirSync(dirname(file), { recursive: true });
  const bytes = Buffer.from(await tarball.arrayBuffer());
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, file);
  return { file, bytes: bytes.length };
}

/** One embedded database in its worker thread; requests are answered in the order they are sent. */
class DatabaseThread {
  private readonly worker: Promise<Worker>;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  /** With `fresh`: the cluster this thread's initdb made, as offered (see storeEmbeddedCluster). */
  readonly freshTemplate: Promise<Blob | undefined> | undefined;

  /**
   * With `fresh`: run initdb (see storeEmbeddedCluster). With `schemaKey`: an in-memory database
   * starts from the stored cluster with those migrations applied, when there is one.
   */
  constructor(dataDir: string, options: { fresh?: boolean; schemaKey?: string } = {}) {
    const inMemory = dataDir.startsWith('memory://');
    const paths: WorkerPaths = {
      pglite: resolveModule('@electric-sql/pglite'),
      pgTrgm: resolveModule('@electric-sql/pglite/contrib/pg_trgm'),
      // `memory://name` is an in-memory database; distinct names are distinct databases.
      dataDir: inMemory ? undefined : dataDir,
    };
    const wasm = postgresWasm();
    const start = (template: Blob | string[] | undefined, offerTemplate: boolean) =>
      this.startWorker({
        paths,
        pgliteWasmModule: wasm.pglite,
        initdbWasmModule: wasm.initdb,
        ...(Array.isArray(template) ? { templateFiles: template } : { template }),
        offerTemplate,
      });
    const migrated =
      inMemory && !options.fresh && options.schemaKey ? storedSchemaFile(options.schemaKey) : undefined;
    if (inMemory && !options.fresh && !migrated) clusterTemplate ??= storedCluster();
    if (!inMemory) {
      this.worker = Promise.resolve(start(undefined, false));
    } else if (migrated) {
      // The fresh cluster behind it, should the migrated one not load (then the migrations run).
      const fresh = embeddedClusterFile();
      this.worker = Promise.resolve(start(existsSync(fresh) ? [migrated, fresh] : [migrated], false));
    } else if (clusterTemplate && !options.fresh) {
      this.worker = clusterTemplate.then((template) => start(template, false));
    } else {
      let offered!: (template: Blob | undefined) => void;
      const made = new Promise<Blob | undefined>((resolve) => (offered = resolve));
      if (options.fresh) this.freshTemplate = made;
      else clusterTemplate = made;
      const worker = start(undefined, true);
      // Until it has offered the cluster, the process waits for it as for a statement in flight:
      // the databases that wait for its tarball hold nothing that keeps the process alive.
      worker.ref();
      worker.on('message', (message: { template?: Blob }) => {
        if (!message.template) return;
        offered(message.template);
        if (this.pending.size === 0) worker.unref();
      });
      // A database that fails to start offers nothing: the others then run initdb themselves.
      worker.once('exit', () => offered(undefined));
      worker.once('error', () => offered(undefined));
      this.worker = Promise.resolve(worker);
    }
  }

  private startWorker(start: WorkerStart): Worker {
    const worker = new Worker(`(${workerMain.toString()})()`, { eval: true, workerData: start });
    // An idle database keeps the process alive no more than an in-process one would.
    worker.unref();
    worker.on('message', (reply: Reply | { template: Blob }) => {
      if (!('id' in reply)) return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiting?.resolve(reply);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`the embedded database's thread exited (${code})`)));
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private async send(request: Request): Promise<Reply> {
    const worker = await this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      // While a statement is in flight the process waits for its answer, as it would for a socket.
      worker.ref();
      worker.postMessage(request);
    });
  }

  async run(sql: string, params?: unknown[]): Promise<Extract<Reply, { result: unknown }>['result']> {
    const reply = await this.send({ id: this.nextId++, sql, params });
    if ('error' in reply) {
      const { message, ...fields } = reply.error;
      throw Object.assign(new Error(message), fields);
    }
    return reply.result;
  }

  /** The database's files as a tarball, as PGlite's `dumpDataDir` writes them. */
  async dump(): Promise<Blob> {
    const reply = await this.send({ id: this.nextId++, dump: true });
    if ('error' in reply) throw Object.assign(new Error(reply.error.message), reply.error);
    if (!reply.dump) throw new Error('the embedded database sent no files');
    return reply.dump;
  }

  async close(): Promise<void> {
    await this.send({ id: this.nextId++, close: true });
    await (await this.worker).terminate();
  }
}

const instances = new Map<string, DatabaseThread>();

function openDatabase(dataDir: string, schemaKey: string | undefined): DatabaseThread {
  let db = instances.get(dataDir);
  if (!db) {
    db = new DatabaseThread(dataDir, { schemaKey });
    instances.set(dataDir, db);
  }
  return db;
}

function commandOf(sql: string): string {
  const match = /^\s*(\w+)/.exec(sql);
  return match ? match[1].toUpperCase() : '';
}

class PGliteClient extends EventEmitter {
  constructor(private readonly db: DatabaseThread) {
    super();
  }

  async query(
    sql: string | PgQueryConfig,
    params?: unknown[] | ((...a: unknown[]) => void),
  ): Promise<PgResult> {
    const text = typeof sql === 'string' ? sql : sql.text;
    const values = Array.isArray(params) ? params : typeof sql === 'string' ? undefined : sql.values;
    // Without parameters the text may hold several statements (migrations); the last result wins, as in pg.
    const results = await this.db.run(text, values);
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

export function createPGlitePoolClass(dataDir: string, schemaKey?: string): new () => EventEmitter {
  const mutex = new Mutex();
  return class PGlitePool extends EventEmitter {
    connect(callback: Callback): void {
      void (async () => {
        try {
          const db = openDatabase(dataDir, schemaKey);
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
      const db = openDatabase(dataDir, schemaKey);
      const unlock = await mutex.acquire();
      try {
        return await new PGliteClient(db).query(sql, params);
      } finally {
        unlock();
      }
    }

    end(callback?: (err: Error | null) => void): Promise<void> {
      const db = instances.get(dataDir);
      instances.delete(dataDir);
      const closing = db ? db.close() : Promise.resolve();
      closing.then(
        () => callback?.(null),
        (err: Error) => callback?.(err),
      );
      return closing;
    }
  };
}

/**
 * The module object TypeORM expects in place of `require('pg')`. `schemaKey` names the migrations
 * the database's owner runs (`migrationsKey`): a new in-memory database then starts with them
 * applied, from the cluster the build stored (storeEmbeddedSchema), instead of running them.
 */
export function pgliteDriver(
  dataDir: string,
  options: { schemaKey?: string } = {},
): { Pool: new () => EventEmitter } {
  return { Pool: createPGlitePoolClass(dataDir, options.schemaKey) };
}

/** The files of the open embedded database `dataDir`, as a tarball (what storeEmbeddedSchema keeps). */
export function dumpEmbeddedDatabase(dataDir: string): Promise<Blob> {
  const db = instances.get(dataDir);
  if (!db) return Promise.reject(new Error(`no embedded database ${dataDir} is open`));
  return db.dump();
}
