/** One row of a side-by-side comparison: a line kept, removed (left only) or added (right only). */
export interface DiffRow {
  kind: 'same' | 'removed' | 'added' | 'changed';
  left?: string;
  right?: string;
}

/**
 * Line diff by longest common subsequence (notices are a few hundred lines at most, so the
 * quadratic table is fine); a removal followed by an addition is shown as one changed row.
 */
export function diffLines(a: string, b: string): DiffRow[] {
  const left = a.split('\n');
  const right = b.split('\n');
  const n = left.length;
  const m = right.length;
  const width = m + 1;
  const table = new Int32Array((n + 1) * width);
  const lcs = (i: number, j: number): number => table[i * width + j]!;
  const l = (i: number): string => left[i]!;
  const r = (j: number): string => right[j]!;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = l(i) === r(j) ? lcs(i + 1, j + 1) + 1 : Math.max(lcs(i + 1, j), lcs(i, j + 1));
    }
  }
  const raw: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && l(i) === r(j)) {
      raw.push({ kind: 'same', left: l(i++), right: r(j++) });
    } else if (j < m && (i >= n || lcs(i, j + 1) >= lcs(i + 1, j))) {
      raw.push({ kind: 'added', right: r(j++) });
    } else {
      raw.push({ kind: 'removed', left: l(i++) });
    }
  }
  // Pair each run of removals with the run of additions right after it.
  const rows: DiffRow[] = [];
  let k = 0;
  while (k < raw.length) {
    const row = raw[k]!;
    if (row.kind === 'same') {
      rows.push(row);
      k++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    for (let next = raw[k]; next && next.kind !== 'same'; next = raw[++k]) {
      if (next.kind === 'removed') removed.push(next.left ?? '');
      else added.push(next.right ?? '');
    }
    for (let x = 0; x < Math.max(removed.length, added.length); x++) {
      const lt = removed[x];
      const rt = added[x];
      const kind = lt !== undefined && rt !== undefined ? 'changed' : lt !== undefined ? 'removed' : 'added';
      rows.push({ kind, left: lt, right: rt });
    }
  }
  return rows;
}
