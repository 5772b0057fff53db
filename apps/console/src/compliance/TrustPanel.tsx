import { Alert, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../lib/format';
import type { Trust } from './trust';

/**
 * The federation keys every browser check starts from, with their thumbprints recomputed here,
 * and the officer's pin (see trust.ts).
 */
export function TrustPanel({
  trust,
  onPin,
  onUnpin,
}: {
  trust: Trust | null;
  onPin: () => void;
  onUnpin: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (!trust) return null;
  const color = trust.pinStatus === 'PINNED' ? 'teal' : trust.pinStatus === 'MISMATCH' ? 'red' : 'yellow';
  return (
    <Paper withBorder p="md" data-testid="trust-panel" data-pin={trust.pinStatus}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('compliance.trust.title')}
        </Title>
        <Text size="sm">{t('compliance.trust.explain', { federation: trust.federationId })}</Text>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compliance.trust.kid')}</Table.Th>
              <Table.Th>{t('compliance.trust.thumbprint')}</Table.Th>
              <Table.Th>{t('compliance.trust.pinned')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {trust.federationKeys.map((key) => (
              <Table.Tr key={key.kid}>
                <Table.Td>
                  <Code>{key.kid}</Code>
                </Table.Td>
                <Table.Td>
                  {key.kid === key.thumbprint
                    ? t('compliance.trust.thumbprintOk')
                    : t('compliance.trust.thumbprintBad')}
                </Table.Td>
                <Table.Td>{key.pinned ? t('compliance.common.yes') : t('compliance.common.no')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Alert color={color} data-testid="pin-status">
          {t(`compliance.trust.status.${trust.pinStatus}`, { at: fmt.dateTime(trust.pinnedAt) })}
        </Alert>
        {[...trust.statementErrors].map(([partner, problem]) => (
          <Alert key={partner} color="red">
            {t('compliance.trust.statementFailed', { partner, problem })}
          </Alert>
        ))}
        <Group>
          {trust.pinStatus === 'UNPINNED' ? (
            <Button onClick={onPin} data-testid="pin-keys">
              {t('compliance.trust.pin')}
            </Button>
          ) : (
            <Button variant="default" onClick={onUnpin} data-testid="unpin-keys">
              {t('compliance.trust.unpin')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
