import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasAnyRole, useSession } from '../auth/useSession';
import { QueryError, describeError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { ExportLedger, Ledger, SignCheckpoint } from './queries';
import { PageHeader, ShortId } from './ui';

/** Saves text as a file through a temporary link (the export is self-contained JSON). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The federation ledger: its head, its signed checkpoints, a checkpoint now, and the export. */
export default function LedgerPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, loading, error } = useQuery(Ledger);
  const [sign, signing] = useMutation(SignCheckpoint, { refetchQueries: ['OperatorLedger'] });
  const [exportLedger, exporting] = useLazyQuery(ExportLedger, { fetchPolicy: 'no-cache' });
  const [failure, setFailure] = useState<string | null>(null);
  // The federation's compliance officer reads; only the operator acts (the server refuses others too).
  const canAct = hasAnyRole(useSession(), ['OPERATOR']);
  const head = data?.federationLedgerHead;

  const onSign = async () => {
    setFailure(null);
    try {
      const result = await sign();
      const size = result.data?.signFederationLedgerCheckpoint?.size ?? head?.size ?? 0;
      notifySaved(t('operator.ledger.signed', { size: format.number(size) }));
    } catch (e) {
      setFailure(describeError(e).message);
    }
  };
  const onExport = async () => {
    setFailure(null);
    try {
      const result = await exportLedger();
      const text = result.data?.exportFederationLedger;
      if (!text) throw result.error ?? new Error('empty export');
      download(`federation-ledger-${head?.origin ?? 'export'}.json`, text);
      notifySaved(t('operator.ledger.exported'));
    } catch (e) {
      setFailure(describeError(e).message);
    }
  };

  return (
    <Stack>
      <PageHeader title={t('operator.ledger.title')} intro={t('operator.ledger.intro')}>
        <Group>
          <Button
            hidden={!canAct}
            variant="light"
            onClick={() => void onSign()}
            loading={signing.loading}
            data-testid="sign-checkpoint"
          >
            {t('operator.ledger.sign')}
          </Button>
          <Button onClick={() => void onExport()} loading={exporting.loading} data-testid="export-ledger">
            {t('operator.ledger.export')}
          </Button>
        </Group>
      </PageHeader>
      {failure && (
        <Alert color="red.9" role="alert">
          {t('errors.generic', { message: failure })}
        </Alert>
      )}
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('operator.ledger.title')} />}
      {head && (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="ledger-head">
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {t('operator.ledger.size')}
            </Text>
            <Text fz={28} fw={700} data-testid="ledger-size">
              {format.number(head.size)}
            </Text>
          </Paper>
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {t('operator.ledger.root')}
            </Text>
            <ShortId value={head.rootHash} />
          </Paper>
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {t('operator.ledger.latest')}
            </Text>
            <Text fw={600}>
              {head.latestCheckpoint
                ? `${format.number(head.latestCheckpoint.size)} · ${format.dateTime(head.latestCheckpoint.createdAt)}`
                : t('operator.ledger.noCheckpoint')}
            </Text>
          </Paper>
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {t('operator.ledger.pending')}
            </Text>
            <Text fz={28} fw={700}>
              {format.number(head.pending)}
            </Text>
          </Paper>
        </SimpleGrid>
      )}
      {data && (
        <>
          <Title order={2} size="h3">
            {t('operator.ledger.checkpoints')}
          </Title>
          <Table striped data-testid="checkpoints">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.ledger.size')}</Table.Th>
                <Table.Th>{t('operator.ledger.root')}</Table.Th>
                <Table.Th>{t('operator.ledger.signer')}</Table.Th>
                <Table.Th>{t('operator.ledger.at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.federationLedgerCheckpoints.nodes.map((checkpoint) => (
                <Table.Tr key={`${checkpoint.size}-${checkpoint.createdAt}`}>
                  <Table.Td>{format.number(checkpoint.size)}</Table.Td>
                  <Table.Td>
                    <ShortId value={checkpoint.rootHash} />
                  </Table.Td>
                  <Table.Td>
                    <ShortId value={checkpoint.signerKid} />
                  </Table.Td>
                  <Table.Td>{format.dateTime(checkpoint.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
