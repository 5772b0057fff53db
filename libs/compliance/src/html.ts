/**
 * A readable, self-contained HTML rendering of a JSON document (the access report, GDPR Art. 15):
 * no script, no external resource, every value escaped. Pure: no I/O.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** "careCases" → "Care cases", "receivedAt" → "Received at". */
export function humanLabel(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '<span class="none">—</span>';
  if (typeof value === 'string' && value.length > 120 && !/\s/.test(value)) {
    // Signatures and proofs: long opaque tokens wrap instead of widening the page.
    return `<code class="token">${escapeHtml(value)}</code>`;
  }
  return escapeHtml(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renderValue(value: unknown, depth: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="none">none</span>';
    if (value.every((v) => !isRecord(v) && !Array.isArray(v))) {
      return value.map((v) => scalar(v)).join(', ');
    }
    return value.map((v) => `<div class="item">${renderValue(v, depth + 1)}</div>`).join('');
  }
  if (isRecord(value)) return renderObject(value, depth);
  return scalar(value);
}

function renderObject(value: Record<string, unknown>, depth: number): string {
  const rows = Object.entries(value)
    .map(
      ([key, v]) => `<tr><th>${escapeHtml(humanLabel(key))}</th><td>${renderValue(v, depth + 1)}</td></tr>`,
    )
    .join('');
  return `<table>${rows}</table>`;
}

export interface HtmlSection {
  title: string;
  /** Shown under the title. */
  intro?: string;
  value: unknown;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.25rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top;text-align:left}
th{width:14rem;background:#f6f6f6;font-weight:600}.item{margin:.5rem 0}.none{color:#888}
.token{word-break:break-all;font-size:.8em}.meta{color:#555}`;

/** A whole HTML page: a title, a line of metadata, then one section per part. */
export function renderHtmlDocument(title: string, meta: string, sections: readonly HtmlSection[]): string {
  const body = sections
    .map(
      (s) =>
        `<section><h2>${escapeHtml(s.title)}</h2>` +
        (s.intro ? `<p>${escapeHtml(s.intro)}</p>` : '') +
        renderValue(s.value, 0) +
        `</section>`,
    )
    .join('\n');
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body><h1>${escapeHtml(title)}</h1>` +
    `<p class="meta">${escapeHtml(meta)}</p>\n${body}\n</body></html>\n`
  );
}
