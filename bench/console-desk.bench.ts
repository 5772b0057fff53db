/**
 * The care desk in a browser: how long from typing a search to the results painted, and from
 * opening a customer to the merged timeline (with the partners' shared items) painted, p50/p95 over
 * `--runs` runs each (default 60), in the machine's Chromium (Playwright, headless). Baseline: the
 * same GraphQL query sent with plain fetch from the same page (no rendering), and the ratio. Also
 * the desk's JavaScript on first load (gzip), from the built manifest. Figures only, never asserted.
 * Goals: p95 ≤ 300 ms (the search includes the box's 200 ms debounce), ≤ 250 KB gzip.
 *
 *   npm run build && npm run bench:console -- [--rows 1000000] [--runs 60]
 *
 * The network is the browser tests' (test/console/support/console-network.ts: the demo's federation
 * and three nodes, PostgreSQL + Redis, databases created and dropped); `--rows` more customers are
 * added to the desk node's database (bench-support's loadCustomers) so that search runs at scale.
 * Shared history is read for a reason: each opened customer gets an open care case first (by GraphQL,
 * before timing), which the 360's reason picker preselects; "open" is Enter, then "Show partners'
 * history" (clicked by the page itself the moment it is enabled), to the merged timeline painted.
 */
// Quiet nodes: only errors reach the terminal.
process.env.LOG_LEVEL ??= 'error';
// One agent opens every customer (and fetches each timeline again for the baseline): more pulls than the
// per-agent hourly limit (SHARING_PULL_AGENT_LIMIT, 60) allows; the bench measures the desk, not the limit.
// The nodes run in this process and read it when they start.
process.env.SHARING_PULL_AGENT_LIMIT ??= '100000';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/console/support/chromium.js';
import { startConsoleNetwork } from '../test/console/support/console-network.js';
import { fmt, LAST_NAMES, loadCustomers, percentile } from './bench-support.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DIST = resolve('apps/console/dist');

function args(): { rows: number; runs: number } {
  const read = (flag: string, fallback: number) => {
    const i = process.argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number((process.argv[i + 1] ?? '').replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: not a whole number`);
    return n;
  };
  return { rows: read('--rows', 1_000_000), runs: Math.max(50, read('--runs', 60)) };
}

/** Gzip bytes of what /desk loads first: the entry, its static imports, the desk route's chunk and CSS. */
function deskFirstLoadBytes(): { js: number; css: number } {
  type Chunk = {
    file: string;
    imports?: string[];
    dynamicImports?: string[];
    css?: string[];
    isEntry?: boolean;
    src?: string;
  };
  const manifest = JSON.parse(readFileSync(resolve(DIST, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    Chunk
  >;
  const seen = new Set<string>();
  const files = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key]!;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) walk(imported);
  };
  walk('index.html');
  walk(Object.keys(manifest).find((k) => k.endsWith('desk/DeskHome.tsx'))!);
  let js = 0;
  let css = 0;
  for (const file of files) {
    const size = gzipSync(readFileSync(resolve(DIST, file))).length;
    if (file.endsWith('.css')) css += size;
    else js += size;
  }
  return { js, css };
}

/** The page's GraphQL call timed with plain fetch (the baseline: network + server, no rendering). */
async function fetchTimed(page: Page, token: string, query: string, variables: unknown): Promise<number> {
  return page.evaluate(
    async ({ token, query, variables }) => {
      const t = performance.now();
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      await response.json();
      return performance.now() - t;
    },
    { token, query, variables },
  );
}

// Evaluated in the page (strings: this file is type-checked without the DOM library; page.evaluate,
// not waitForFunction, which the console's CSP refuses as eval).
/** Resolves at the frame after the search results (or "no customer") are in the page. */
const RESULTS_PAINTED = `new Promise((done) => {
  const check = () => {
    const settled = document.querySelector('#customer-results [role=option]') || /No customer/.test(document.body.innerText);
    requestAnimationFrame(settled ? () => done(performance.now()) : check);
  };
  check();
})`;
/**
 * Resolves at the frame after the merged timeline's first page (items, or the empty message) is in
 * the page: the reason in force is shown once the page read with it has arrived.
 */
const TIMELINE_PAINTED = `new Promise((done) => {
  const check = () => {
    const shown = document.querySelector('[data-testid=reason-current]') && (document.querySelector('[data-testid=timeline] li') || /Nothing in the timeline/.test(document.body.innerText));
    requestAnimationFrame(shown ? () => done(performance.now()) : check);
  };
  check();
})`;

/**
 * The agent's one click of the open, made by the page itself the moment "Show partners' history" is
 * enabled (a MutationObserver), then TIMELINE_PAINTED: so that the figure is the console's time, not
 * Playwright's actionability polling (its retries are 20–100 ms apart) nor its round trips.
 */
const APPLY_THEN_TIMELINE_PAINTED = `new Promise((done) => {
  const apply = () => {
    const button = document.querySelector('[data-testid=reason-apply]');
    if (!button || button.disabled) return false;
    observer.disconnect();
    button.click();
    done(${TIMELINE_PAINTED.replace(/`/g, '')});
    return true;
  };
  const observer = new MutationObserver(apply);
  if (!apply()) observer.observe(document.body, { childList: true, subtree: true, attributes: true });
})`;

const line = (label: string, ms: number[]) =>
  `  ${label.padEnd(34)} p50 ${fmt(percentile(ms, 50), 1).padStart(7)} ms   p95 ${fmt(percentile(ms, 95), 1).padStart(7)} ms`;

async function main(): Promise<void> {
  const { rows, runs } = args();
  const size = deskFirstLoadBytes();
  const before = await databaseNames();
  let t = performance.now();
  const network = await startConsoleNetwork({
    databaseAdminUrl: ADMIN_URL,
    redisUrl: REDIS_URL,
    consoleDist: DIST,
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const { info } = network;
    const desk = info.nodes.find((n) => n.partnerId === info.customer.deskPartnerId)!;
    console.log(`network up in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const deskDb = [...(await databaseNames())].find(
      (d) => !before.has(d) && d.endsWith(`_${desk.partnerId.replace(/-/g, '_')}`),
    )!;
    const db = new pg.Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${deskDb}`) });
    await db.connect();
    t = performance.now();
    if (rows > 0) await loadCustomers(db, rows);
    const count = (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM customer`)).rows[0]!
      .count;
    console.log(
      `desk node: ${fmt(count)} customers (${fmt(rows)} added in ${fmt((performance.now() - t) / 1000, 1)} s)`,
    );
    // The demo's customers (with histories, some shared by partners): what an agent opens.
    const opened = (
      await db.query<{ id: string; address: string }>(
        `SELECT c.id, e.address FROM customer c JOIN customer_email e ON e.customer_id = c.id AND e.is_primary
          WHERE c.external_id NOT LIKE 'C%' AND c.deleted_at IS NULL ORDER BY c.id LIMIT $1`,
        [runs],
      )
    ).rows;
    await db.end();

    const page = await browser.newPage();
    // A step that never comes fails the bench with its locator instead of hanging it.
    page.setDefaultTimeout(30_000);
    const agent = desk.users.find((u) => u.role === 'agent')!;
    await page.goto(`${desk.url}/desk`);
    await page.getByLabel('E-mail').fill(agent.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(agent.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const search = page.getByTestId('desk-search');
    await search.waitFor();
    const login = await page.request.post(`${desk.url}/auth/login`, {
      data: { email: agent.email, password: agent.password },
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;

    // 1. Typing a search → results painted (each term once: no cache hit).
    const terms = LAST_NAMES.flatMap((name) => [
      name.toLowerCase(),
      `${name.slice(0, 1)}${name.slice(2, 3)}${name.slice(1, 2)}${name.slice(3)}`.toLowerCase(),
    ]).slice(0, runs);
    const searchMs: number[] = [];
    const searchBase: number[] = [];
    const SEARCH = `query($q: String!) { searchCustomers(query: $q, first: 10) { id displayName lifecycleStage emails { id address isPrimary } phones { id number isPrimary } } }`;
    console.log(`searching ${terms.length} terms…`);
    for (const term of terms) {
      await search.fill('');
      // The previous results leave once the emptied box's debounce passes: start from an empty list.
      await page.locator('#customer-results [role=option]').first().waitFor({ state: 'detached' });
      const started = await page.evaluate(() => performance.now());
      await search.fill(term);
      const painted = await page.evaluate<number>(RESULTS_PAINTED);
      searchMs.push(painted - started);
      searchBase.push(await fetchTimed(page, token, SEARCH, { q: term }));
    }

    // 2. Opening a customer (Enter on the search result) → merged timeline painted.
    const openMs: number[] = [];
    const openBase: number[] = [];
    const TIMELINE = `query($id: ID!, $reason: SharedHistoryReasonInput) { customerTimeline(customerId: $id, first: 25, includeShared: true, reason: $reason) { nodes { kind recordId occurredAt title summary origin originPartnerId consentId signatureStatus retentionEndsAt } partial unavailablePartners pageInfo { endCursor hasNextPage } } }`;
    // The reason each customer's shared history is read for: a care case opened before timing.
    const OPEN_CASE = `mutation($input: CreateCareCaseInput!) { createCareCase(input: $input) { id } }`;
    const caseOf = new Map<string, string>();
    for (const customer of opened) {
      const created = await page.request.post(`${desk.url}/graphql`, {
        headers: { authorization: `Bearer ${token}` },
        data: {
          query: OPEN_CASE,
          variables: { input: { customerId: customer.id, subject: 'Bench reason' } },
        },
      });
      const body = (await created.json()) as { data?: { createCareCase: { id: string } } };
      if (!body.data) throw new Error(`createCareCase failed: ${JSON.stringify(body)}`);
      caseOf.set(customer.id, body.data.createCareCase.id);
    }
    console.log(`opening ${opened.length} customers…`);
    for (const customer of opened) {
      await page.getByRole('link', { name: 'Care desk' }).click();
      await search.fill(customer.address);
      await page.locator('#customer-results [role=option]').first().waitFor();
      const started = await page.evaluate(() => performance.now());
      // Armed before Enter; the picker preselects the customer's most recent open case (the one just opened).
      const painting = page.evaluate<number>(APPLY_THEN_TIMELINE_PAINTED);
      await search.press('Enter');
      const painted = await Promise.race([
        painting,
        new Promise<number>((done) => setTimeout(() => done(-1), 20_000)),
      ]);
      if (painted < 0)
        throw new Error(
          `timeline not painted at ${page.url()}: ${await page.getByTestId('timeline').locator('..').innerText()}`,
        );
      openMs.push(painted - started);
      openBase.push(
        await fetchTimed(page, token, TIMELINE, {
          id: customer.id,
          reason: { careCaseId: caseOf.get(customer.id) },
        }),
      );
    }

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    // Which runs make the tail: the first ones (a cold chunk, a cold cache) or any.
    const slowest = (xs: number[]) =>
      xs
        .map((ms, run) => ({ ms, run: run + 1 }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map(({ ms, run }) => `#${run}: ${fmt(ms, 0)}`)
        .join(', ');
    const [s, sb, o, ob] = [searchMs, searchBase, openMs, openBase].map(sorted) as [
      number[],
      number[],
      number[],
      number[],
    ];
    console.log(
      `\nthe care desk in Chromium, ${fmt(count)} customers at the desk node, ${s.length} searches and ${o.length} customers opened`,
    );
    console.log(line('search: typed → results painted', s));
    console.log(line('  baseline: the query by fetch', sb));
    console.log(
      `  ratio (p95): ${fmt(percentile(s, 95) / percentile(sb, 95), 2)}× (includes the 200 ms debounce)`,
    );
    console.log(`    slowest (run: ms): ${slowest(searchMs)}`);
    console.log(line('open: Enter + reason → merged', o));
    console.log(`    slowest (run: ms): ${slowest(openMs)}`);
    console.log(line('  baseline: the timeline by fetch', ob));
    console.log(`  ratio (p95): ${fmt(percentile(o, 95) / percentile(ob, 95), 2)}×`);
    console.log(
      `desk first load: ${fmt(size.js / 1024, 1)} KB JavaScript + ${fmt(size.css / 1024, 1)} KB CSS (gzip); goal ≤ 250 KB JavaScript`,
    );
  } finally {
    await browser.close();
    await network.close();
  }
}

async function databaseNames(): Promise<Set<string>> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    return new Set(
      (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database`)).rows.map((r) => r.datname),
    );
  } finally {
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
