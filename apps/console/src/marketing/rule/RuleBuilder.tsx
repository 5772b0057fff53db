import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPANY_SIZE_BANDS, LIFECYCLE_STAGES } from '../../../../../libs/segments/src/rule-fields';
import {
  FIELD_NAMES,
  isKeyed,
  isWindowed,
  newCondition,
  newGroup,
  opsOf,
  updateNode,
  valueKind,
  type ConditionDraft,
  type GroupDraft,
  type NodeDraft,
} from './model';

/** A refusal of the server placed at one node of the tree (and the part of it: value, op…). */
export interface PlacedRefusal {
  nodeId: string;
  part: string;
  message: string;
}

interface Props {
  value: GroupDraft;
  onChange: (next: GroupDraft) => void;
  refusal: PlacedRefusal | null;
}

/** The visual editor of a segment rule: nested all/any groups (each can be negated) of conditions. */
export function RuleBuilder({ value, onChange, refusal }: Props) {
  const change = (id: string, fn: (n: NodeDraft) => NodeDraft | null) => onChange(updateNode(value, id, fn));
  return (
    // Errors in a darker red: the default one is under WCAG AA contrast on an invalid input's text.
    <div
      data-testid="rule-builder"
      style={{ '--mantine-color-error': 'var(--mantine-color-red-9)' } as CSSProperties}
    >
      <GroupEditor node={value} depth={1} change={change} refusal={refusal} />
    </div>
  );
}

type Change = (id: string, fn: (n: NodeDraft) => NodeDraft | null) => void;

function GroupEditor({
  node,
  depth,
  change,
  refusal,
}: {
  node: GroupDraft;
  depth: number;
  change: Change;
  refusal: PlacedRefusal | null;
}) {
  const { t } = useTranslation();
  const label = t('marketing.rule.groupLabel', { depth });
  const here = refusal?.nodeId === node.id ? refusal : null;
  const setGroup = (patch: Partial<GroupDraft>) =>
    change(node.id, (n) => ({ ...(n as GroupDraft), ...patch }));
  return (
    <Paper
      withBorder
      p="sm"
      role="group"
      aria-label={label}
      data-testid="rule-group"
      style={{ borderLeft: `4px solid var(--mantine-color-${node.negated ? 'red' : 'indigo'}-7)` }}
    >
      <Stack gap="xs">
        <Group gap="sm" wrap="wrap">
          <Checkbox
            label={t('marketing.rule.not')}
            checked={node.negated}
            onChange={(e) => setGroup({ negated: e.currentTarget.checked })}
            data-testid="rule-group-not"
          />
          <SegmentedControl
            size="xs"
            aria-label={t('marketing.rule.mode')}
            value={node.mode}
            onChange={(mode) => setGroup({ mode: mode as GroupDraft['mode'] })}
            data={[
              { value: 'all', label: t('marketing.rule.all') },
              { value: 'any', label: t('marketing.rule.any') },
            ]}
            data-testid="rule-group-mode"
          />
          <Button
            size="xs"
            variant="light"
            onClick={() => setGroup({ children: [...node.children, newCondition()] })}
            data-testid="rule-add-condition"
          >
            {t('marketing.rule.addCondition')}
          </Button>
          {depth < 6 && (
            <Button
              size="xs"
              variant="light"
              onClick={() => setGroup({ children: [...node.children, newGroup('any')] })}
              data-testid="rule-add-group"
            >
              {t('marketing.rule.addGroup')}
            </Button>
          )}
          {depth > 1 && (
            <Button size="xs" variant="outline" color="red.9" onClick={() => change(node.id, () => null)}>
              {t('marketing.rule.removeGroup')}
            </Button>
          )}
        </Group>
        {here && (
          <Text c="red.9" size="sm" role="alert" data-testid="rule-refusal">
            {here.message}
          </Text>
        )}
        {node.children.map((child) =>
          child.type === 'group' ? (
            <GroupEditor key={child.id} node={child} depth={depth + 1} change={change} refusal={refusal} />
          ) : (
            <ConditionEditor key={child.id} node={child} change={change} refusal={refusal} />
          ),
        )}
      </Stack>
    </Paper>
  );
}

function ConditionEditor({
  node,
  change,
  refusal,
}: {
  node: ConditionDraft;
  change: Change;
  refusal: PlacedRefusal | null;
}) {
  const { t } = useTranslation();
  const here = refusal?.nodeId === node.id ? refusal : null;
  const errorAt = (part: string) => (here && here.part === part ? here.message : undefined);
  const set = (patch: Partial<ConditionDraft>) =>
    change(node.id, (n) => ({ ...(n as ConditionDraft), ...patch }));
  const kind = valueKind(node.field, node.op);
  const valueLabel = t('marketing.rule.value');
  const valueError = errorAt('value');

  let valueInput = null;
  if (kind === 'numberPair') {
    valueInput = (
      <Group gap={4} wrap="nowrap">
        <TextInput
          size="xs"
          w={90}
          label={t('marketing.rule.from')}
          inputMode="decimal"
          value={node.low}
          onChange={(e) => set({ low: e.currentTarget.value })}
          error={valueError}
        />
        <TextInput
          size="xs"
          w={90}
          label={t('marketing.rule.to')}
          inputMode="decimal"
          value={node.high}
          onChange={(e) => set({ high: e.currentTarget.value })}
        />
      </Group>
    );
  } else if (kind === 'stage') {
    valueInput = (
      <Select
        size="xs"
        w={150}
        label={valueLabel}
        data={LIFECYCLE_STAGES.map((s) => ({ value: s, label: t(`lifecycle.${s.toUpperCase()}`) }))}
        value={node.text || null}
        onChange={(v) => set({ text: v ?? '' })}
        error={valueError}
      />
    );
  } else if (kind === 'stageList' || kind === 'sizeBandList') {
    const options: readonly string[] = kind === 'stageList' ? LIFECYCLE_STAGES : COMPANY_SIZE_BANDS;
    valueInput = (
      <MultiSelect
        size="xs"
        miw={200}
        label={valueLabel}
        data={options.map((s) => ({
          value: s,
          label: kind === 'stageList' ? t(`lifecycle.${s.toUpperCase()}`) : t(`marketing.sizeBands.${s}`),
        }))}
        value={node.list}
        onChange={(list) => set({ list })}
        error={valueError}
      />
    );
  } else if (kind.endsWith('List')) {
    valueInput = (
      <TagsInput
        size="xs"
        miw={200}
        label={valueLabel}
        description={t('marketing.rule.listHint')}
        value={node.list}
        onChange={(list) => set({ list })}
        error={valueError}
      />
    );
  } else if (kind !== 'none') {
    valueInput = (
      <TextInput
        size="xs"
        w={kind === 'country' ? 90 : 140}
        label={valueLabel}
        inputMode={kind === 'number' ? 'decimal' : undefined}
        value={node.text}
        onChange={(e) => set({ text: e.currentTarget.value })}
        error={valueError}
        data-testid="rule-value"
      />
    );
  }

  return (
    <Paper withBorder p="xs" data-testid="rule-condition">
      <Group gap="sm" align="flex-start" wrap="wrap">
        <Select
          size="xs"
          w={220}
          label={t('marketing.rule.field')}
          allowDeselect={false}
          data={FIELD_NAMES.map((f) => ({ value: f, label: t(`marketing.fields.${f}`) }))}
          value={node.field}
          onChange={(field) => field && set({ field, op: opsOf(field)[0] ?? 'eq', text: '', list: [] })}
          error={errorAt('field')}
          data-testid="rule-field"
        />
        {isKeyed(node.field) && (
          <TextInput
            size="xs"
            w={130}
            label={t('marketing.rule.key')}
            value={node.key}
            onChange={(e) => set({ key: e.currentTarget.value })}
            error={errorAt('key')}
          />
        )}
        <Select
          size="xs"
          w={170}
          label={t('marketing.rule.op')}
          allowDeselect={false}
          data={opsOf(node.field).map((op) => ({ value: op, label: t(`marketing.ops.${op}`) }))}
          value={node.op}
          onChange={(op) => op && set({ op })}
          error={errorAt('op')}
          data-testid="rule-op"
        />
        {valueInput}
        {isWindowed(node.field) && (
          <TextInput
            size="xs"
            w={130}
            label={t('marketing.rule.windowDays')}
            placeholder={t('marketing.rule.anyTime')}
            inputMode="numeric"
            value={node.windowDays}
            onChange={(e) => set({ windowDays: e.currentTarget.value })}
            error={errorAt('windowDays')}
          />
        )}
        <ActionIcon
          mt={22}
          variant="subtle"
          color="red.9"
          aria-label={t('marketing.rule.removeCondition')}
          onClick={() => change(node.id, () => null)}
        >
          ×
        </ActionIcon>
      </Group>
      {here && !['field', 'op', 'value', 'key', 'windowDays'].includes(here.part) && (
        <Text c="red.9" size="sm" role="alert" data-testid="rule-refusal">
          {here.message}
        </Text>
      )}
    </Paper>
  );
}
