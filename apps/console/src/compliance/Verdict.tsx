import { Badge, Code, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Verdict } from './verify';

/** A check made in this browser: a tick with the root and checkpoint, or a clear failure. */
export function VerdictView({ verdict, testId }: { verdict: Verdict | null | undefined; testId?: string }) {
  const { t } = useTranslation();
  if (!verdict)
    return (
      <Text size="sm" c="dimmed" data-testid={testId} data-status="pending">
        {t('compliance.verify.checking')}
      </Text>
    );
  if (!verdict.ok)
    return (
      <Stack gap={2} data-testid={testId} data-status="failed" role="status">
        <Badge color="red.9">✗ {t('compliance.verify.failed')}</Badge>
        <Text size="sm" c="red.9">
          {verdict.problem}
        </Text>
      </Stack>
    );
  return (
    <Stack gap={2} data-testid={testId} data-status="ok" role="status">
      <Group gap="xs">
        <Badge color={verdict.anchored ? 'teal.9' : 'gray.8'}>✓ {t('compliance.verify.verified')}</Badge>
        {!verdict.anchored && (
          <Text size="xs" c="yellow.9">
            {t('compliance.verify.unanchored')}
          </Text>
        )}
      </Group>
      {verdict.root && (
        <Text size="xs">
          {t('compliance.verify.root', { size: verdict.treeSize })}{' '}
          <Tooltip label={verdict.checkpointNote ?? ''} multiline w={420} disabled={!verdict.checkpointNote}>
            <Code>{verdict.root}</Code>
          </Tooltip>
        </Text>
      )}
      {verdict.checkpointSigner && (
        <Text size="xs" c="dimmed">
          {t('compliance.verify.checkpointBy', { name: verdict.checkpointSigner })}
        </Text>
      )}
    </Stack>
  );
}
