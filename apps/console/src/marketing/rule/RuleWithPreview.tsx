import { Alert, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format';
import { firstIncomplete, locateRefusal, toRule, type GroupDraft } from './model';
import { RuleBuilder } from './RuleBuilder';
import { useLivePreview } from './useLivePreview';

/**
 * The rule builder with the live size beside it: each edit is counted again (debounced) and a
 * refusal of the rule shows at the condition or group it is about.
 */
export function RuleWithPreview({
  draft,
  onChange,
  serverRefusal,
}: {
  draft: GroupDraft;
  onChange: (next: GroupDraft) => void;
  /** A refusal of the save (createSegment / updateSegment), placed like the preview's. */
  serverRefusal?: { field: string; message: string } | null;
}) {
  const { t } = useTranslation();
  const { number } = useFormat();
  const { rule, paths } = useMemo(() => toRule(draft), [draft]);
  const incomplete = useMemo(() => firstIncomplete(draft), [draft]);
  const preview = useLivePreview(rule, incomplete === null);
  const refused = incomplete ? null : (preview.refusal ?? serverRefusal ?? null);
  const placed = refused ? locateRefusal(refused.field, paths) : null;
  // The server's message repeats the path (`rule.all[0].value: …`): shown at the field, it says only why.
  const message = refused ? refused.message.replace(/^[\w.[\]]+: /, '') : '';
  const refusal = incomplete
    ? { nodeId: incomplete, part: 'value', message: t('marketing.rule.needsValue') }
    : placed && refused
      ? { ...placed, message }
      : null;
  return (
    <Stack>
      <Paper
        withBorder
        p="sm"
        aria-live="polite"
        data-testid="live-size-panel"
        data-counting={String(preview.counting || incomplete !== null)}
      >
        <Group gap="sm">
          <Text fw={600}>{t('marketing.rule.liveSize')}</Text>
          {preview.size !== null && !preview.refusal && !incomplete && (
            <Text fw={700} size="xl" data-testid="live-size">
              {number(preview.size)}
            </Text>
          )}
          {preview.counting && <Loader size="xs" aria-label={t('marketing.rule.counting')} />}
          {(preview.refusal || incomplete) && (
            <Text c="red.9" size="sm">
              {t(incomplete ? 'marketing.rule.incomplete' : 'marketing.rule.refused')}
            </Text>
          )}
        </Group>
        {preview.failure && (
          <Alert color="red.9" mt="xs">
            {preview.failure}
          </Alert>
        )}
      </Paper>
      <RuleBuilder value={draft} onChange={onChange} refusal={refusal} />
    </Stack>
  );
}
