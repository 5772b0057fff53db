/**
 * The baseline of bench:graphql's reads: a bare `node:http` + `pg` handler that answers the
 * bench's customer-by-id query with the same SQL the node runs and the same JSON it writes, with
 * nothing else (no token, no parsing of the query, no limits, no logging). A process of its own,
 * like the node: `DATABASE_URL=… PORT=… node dist/bench/bare-graphql-server.js`; prints `ready`.
 */
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 16),
});

interface CustomerRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
}

async function customer(id: string): Promise<unknown> {
  const found = await pool.query<CustomerRow>(
    `SELECT * FROM customer c WHERE c.id = $1 AND c.deleted_at IS NULL`,
    [id],
  );
  const row = found.rows[0];
  if (!row) return null;
  const emails = await pool.query<{ address: string }>(
    `SELECT * FROM customer_email e WHERE e.customer_id = ANY($1) ORDER BY e.is_primary DESC, e.address ASC`,
    [[id]],
  );
  const phones = await pool.query<{ number: string }>(
    `SELECT * FROM customer_phone p WHERE p.customer_id = ANY($1) ORDER BY p.is_primary DESC, p.number ASC`,
    [[id]],
  );
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    emails: emails.rows.map((e) => ({ address: e.address })),
    phones: phones.rows.map((p) => ({ number: p.number })),
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables?: { id?: string } };
        const data = { customer: await customer(String(body.variables?.id ?? '')) };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data }));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
      }
    })();
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
});
