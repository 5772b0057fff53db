import { FIELD_VALUE_KINDS, type ValueKind } from '../../../../../libs/segments/src/rule-fields';

/**
 * The rule builder's editable tree. It maps one-to-one onto the rule language of libs/segments
 * (`all` / `any` groups, `not` as a group's negation, conditions with field, op, value, key and
 * windowDays); values are kept as typed text until the rule is sent, so nothing typed is lost
 * while a value is still invalid (the server's refusal shows at it instead).
 */
export type GroupMode = 'all' | 'any';

export interface GroupDraft {
  id: string;
  type: 'group';
  mode: GroupMode;
  negated: boolean;
  children: NodeDraft[];
}

export interface ConditionDraft {
  id: string;
  type: 'condition';
  field: string;
  op: string;
  /** Single values (text, number, country, stage, scalar). */
  text: string;
  /** List values. */
  list: string[];
  /** between: [low, high]. */
  low: string;
  high: string;
  /** attribute only. */
  key: string;
  /** windowed fields only; '' = no window. */
  windowDays: string;
}

export type NodeDraft = GroupDraft | ConditionDraft;

export const FIELD_NAMES = Object.keys(FIELD_VALUE_KINDS);

let counter = 0;
const nextId = () => `n${++counter}`;

export function valueKind(field: string, op: string): ValueKind {
  return FIELD_VALUE_KINDS[field]?.ops[op] ?? 'none';
}

export function opsOf(field: string): string[] {
  return Object.keys(FIELD_VALUE_KINDS[field]?.ops ?? {});
}

export function isWindowed(field: string): boolean {
  return Boolean(FIELD_VALUE_KINDS[field]?.windowed);
}

export function isKeyed(field: string): boolean {
  return Boolean(FIELD_VALUE_KINDS[field]?.keyed);
}

export function newCondition(field = 'order_count'): ConditionDraft {
  return {
    id: nextId(),
    type: 'condition',
    field,
    op: opsOf(field)[0] ?? 'eq',
    text: '',
    list: [],
    low: '',
    high: '',
    key: '',
    windowDays: '',
  };
}

export function newGroup(mode: GroupMode = 'all', children: NodeDraft[] = [newCondition()]): GroupDraft {
  return { id: nextId(), type: 'group', mode, negated: false, children };
}

const isList = (kind: ValueKind) => kind.endsWith('List');

function numberOrText(raw: string): number | string {
  const n = Number(raw.trim().replace(',', '.'));
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

function scalarOf(raw: string): string | number | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

function valueOf(c: ConditionDraft): unknown {
  const kind = valueKind(c.field, c.op);
  switch (kind) {
    case 'none':
      return undefined;
    case 'number':
      return numberOrText(c.text);
    case 'numberPair':
      return [numberOrText(c.low), numberOrText(c.high)];
    case 'scalar':
      return scalarOf(c.text);
    case 'scalarList':
      return c.list.map(scalarOf);
    case 'country':
      return c.text.trim().toUpperCase();
    case 'countryList':
      return c.list.map((v) => v.trim().toUpperCase());
    default:
      return isList(kind) ? c.list : c.text;
  }
}

/** The rule JSON of a draft, and the rule path of every node (`all[1].any[0]`) for refusals. */
export function toRule(root: NodeDraft): { rule: unknown; paths: Map<string, string> } {
  const paths = new Map<string, string>();
  const walk = (node: NodeDraft, path: string): unknown => {
    paths.set(node.id, path);
    if (node.type === 'condition') {
      const condition: Record<string, unknown> = { field: node.field, op: node.op };
      const value = valueOf(node);
      if (value !== undefined) condition['value'] = value;
      if (isKeyed(node.field)) condition['key'] = node.key.trim();
      if (isWindowed(node.field) && node.windowDays.trim() !== '') {
        condition['windowDays'] = numberOrText(node.windowDays);
      }
      return condition;
    }
    if (node.negated) {
      // `not` takes one rule: a negated group of one child is {not: child}, else {not: {all|any: …}}.
      const innerPath = join(path, 'not');
      if (node.children.length === 1) return { not: walk(node.children[0]!, innerPath) };
      const inner = join(innerPath, node.mode);
      return { not: { [node.mode]: node.children.map((c, i) => walk(c, `${inner}[${i}]`)) } };
    }
    const inner = join(path, node.mode);
    return { [node.mode]: node.children.map((c, i) => walk(c, `${inner}[${i}]`)) };
  };
  return { rule: walk(root, ''), paths };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** A draft from a stored rule (a bare condition at the root becomes a group of one). */
export function fromRule(rule: unknown): GroupDraft {
  const node = draftOf(rule);
  return node.type === 'group' ? node : newGroup('all', [node]);
}

function draftOf(input: unknown): NodeDraft {
  const o = (input ?? {}) as Record<string, unknown>;
  if (Array.isArray(o['all']) || Array.isArray(o['any'])) {
    const mode: GroupMode = Array.isArray(o['all']) ? 'all' : 'any';
    return newGroup(mode, (o[mode] as unknown[]).map(draftOf));
  }
  if ('not' in o) {
    const inner = draftOf(o['not']);
    if (inner.type === 'group' && !inner.negated) return { ...inner, negated: true };
    return { ...newGroup('all', [inner]), negated: true };
  }
  const c = newCondition(typeof o['field'] === 'string' ? o['field'] : 'order_count');
  c.op = typeof o['op'] === 'string' ? o['op'] : c.op;
  const value = o['value'];
  if (Array.isArray(value)) {
    if (valueKind(c.field, c.op) === 'numberPair') {
      c.low = text(value[0]);
      c.high = text(value[1]);
    } else c.list = value.map(text);
  } else c.text = text(value);
  c.key = text(o['key']);
  c.windowDays = text(o['windowDays']);
  return c;
}

/**
 * Where a refusal applies: the node whose rule path is the longest prefix of the refused path
 * (`rule.all[1].value` → the second condition, part `value`).
 */
export function locateRefusal(
  field: string,
  paths: Map<string, string>,
): { nodeId: string; part: string } | null {
  const path = field.replace(/^rule\.?/, '');
  let best: { nodeId: string; part: string; length: number } | null = null;
  for (const [nodeId, nodePath] of paths) {
    const matches =
      nodePath === '' ||
      path === nodePath ||
      path.startsWith(`${nodePath}.`) ||
      path.startsWith(`${nodePath}[`);
    if (matches && (!best || nodePath.length > best.length)) {
      const rest = path.slice(nodePath.length).replace(/^\./, '');
      best = { nodeId, part: rest.split(/[.[]/)[0] ?? '', length: nodePath.length };
    }
  }
  return best && { nodeId: best.nodeId, part: best.part };
}

/** Changes one node of the tree (by id), returning a new tree. */
export function updateNode(
  root: GroupDraft,
  id: string,
  change: (n: NodeDraft) => NodeDraft | null,
): GroupDraft {
  const walk = (node: NodeDraft): NodeDraft | null => {
    if (node.id === id) return change(node);
    if (node.type === 'condition') return node;
    const children = node.children.map(walk).filter((c): c is NodeDraft => c !== null);
    return { ...node, children };
  };
  return (walk(root) as GroupDraft | null) ?? newGroup();
}

/** The first condition still waiting for its value (not sent to the server until it has one). */
export function firstIncomplete(root: NodeDraft): string | null {
  if (root.type === 'condition') {
    const kind = valueKind(root.field, root.op);
    if (kind === 'none') return null;
    if (kind === 'numberPair') return root.low.trim() && root.high.trim() ? null : root.id;
    if (isList(kind)) return root.list.length ? null : root.id;
    return root.text.trim() ? null : root.id;
  }
  for (const child of root.children) {
    const found = firstIncomplete(child);
    if (found) return found;
  }
  return null;
}
