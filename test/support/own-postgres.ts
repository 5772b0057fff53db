import { execFile } from 'node:child_process';
import { access, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { waitFor } from '../../apps/partner-node/src/testing/network.js';

/**
 * A PostgreSQL cluster of the test's own (for the tests that stop, crash and restart it without
 * touching the machine's shared server): initdb into a temporary directory, trust auth, on
 * 127.0.0.1:`port`, its socket in that directory. As root the server binaries refuse to run, so
 * they run as the `postgres` OS user, which then owns the directory.
 */
const run = promisify(execFile);
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why an own cluster cannot be started here (binaries missing), or undefined when it can. */
export async function ownPostgresUnavailable(): Promise<string | undefined> {
  for (const tool of ['initdb', 'pg_ctl']) {
    try {
      await access(join(PG_BIN, tool));
    } catch {
      return `${join(PG_BIN, tool)} is missing (set PG_BIN to the PostgreSQL server binaries)`;
    }
  }
  return undefined;
}

export class OwnPostgres {
  private dir = '';

  constructor(readonly port: number) {}

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** postgres://… of a database on this cluster. */
  urlOf(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private async tool(name: string, args: string[]): Promise<void> {
    const asRoot = process.getuid?.() === 0;
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, name), ...args]]
      : [join(PG_BIN, name), args];
    await run(file, argv, { timeout: 60_000 });
  }

  /** initdb (once) and start. */
  async init(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'concordia-pg-'));
    if (process.getuid?.() === 0) {
      const { execFileSync } = await import('node:child_process');
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      await chown(this.dir, uid, gid);
    }
    await this.tool('initdb', ['-D', this.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await this.start();
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  async start(): Promise<void> {
    await this.tool('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`,
      'start',
    ]);
    await waitFor('the own PostgreSQL to accept connections', async () => this.answers(), 20_000);
  }

  /** `fast`: a clean shutdown (sessions ended); `immediate`: a crash (recovery from WAL at start). */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.tool('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  async answers(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.urlOf(name);
  }

  /** Stops the server (immediately) and removes its files. */
  async destroy(): Promise<void> {
    if (!this.dir) return;
    await this.stop('immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    this.dir = '';
  }
}
