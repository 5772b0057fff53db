import { useApolloClient, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Code,
  FileInput,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { downloadText } from './download';
import { ExportLedger, LedgerOverview } from './queries';
import { TrustPanel } from './TrustPanel';
import { useTrust, type Trust } from './trust';
import { verifyExportWebCrypto, type WebCryptoExportReport } from './webcrypto';

type Outcome =
  { ok: true; report: WebCryptoExportReport; file: string } | { ok: false; problem: string; file: string };

/** Checks an export file the officer picks, in this browser, with the keys the pinned federation vouches for. */
function VerifyExport({ trust }: { trust: Trust | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async (file: File | null) => {
    setOutcome(null);
    if (!file) return;
    setBusy(true);
    try {
      const doc: unknown = JSON.parse(await file.text());
      const keys = trust ? [...trust.vouched.values()].flat() : [];
      const report = await verifyExportWebCrypto(doc, keys.length ? { trustedKeys: { keys } } : {});
      setOutcome({ ok: true, report, file: file.name });
    } catch (error) {
      setOutcome({
        ok: false,
        problem: error instanceof Error ? error.message : String(error),
        file: file.name,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          {t('compliance.ledger.verifyTitle')}
        </Title>
        <Text size="sm">{t('compliance.ledger.verifyExplain')}</Text>
        <FileInput
          label={t('compliance.ledger.pickFile')}
          accept="application/json,.json"
          onChange={(file) => void check(file)}
          disabled={busy}
          data-testid="verify-export-input"
        />
        {busy && <Text c="dimmed">{t('compliance.verify.checking')}</Text>}
        {outcome?.ok === true && (
          <Alert
            color={outcome.report.keysPinned ? 'teal' : 'yellow'}
            data-testid="export-verdict"
            data-status="ok"
            role="status"
          >
            {t('compliance.ledger.exportOk', {
              file: outcome.file,
              entries: fmt.number(outcome.report.entries),
              checkpoints: outcome.report.checkpoints,
              jws: outcome.report.jwsVerified,
              root: outcome.report.lastRoot ?? '—',
            })}
            {!outcome.report.keysPinned && ` ${t('compliance.verify.unanchored')}`}
          </Alert>
        )}
        {outcome?.ok === false && (
          <Alert color="red" data-testid="export-verdict" data-status="failed" role="alert">
            {t('compliance.ledger.exportFailed', { file: outcome.file, problem: outcome.problem })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** The node's ledger: head, checkpoints, federation-consistency alerts, an export, and checking one. */
export default function LedgerScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const client = useApolloClient();
  const { data, error } = useQuery(LedgerOverview, { fetchPolicy: 'network-only' });
  const { trust, pin, unpin } = useTrust();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const download = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const result = await client.query({ query: ExportLedger, fetchPolicy: 'no-cache' });
      if (result.data)
        downloadText(
          `ledger-${data?.ledgerHead.size ?? 'export'}.json`,
          result.data.exportLedger,
          'application/json',
        );
    } catch (e) {
      setExportError(describeError(e).message);
    } finally {
      setExporting(false);
    }
  };
  if (error) return <QueryError error={error} />;
  const head = data?.ledgerHead;
  return (
    <Stack>
      <Title order={1}>{t('compliance.ledger.title')}</Title>
      {head && (
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {t('compliance.ledger.size')}
            </Text>
            <Text size="xl" fw={700} data-testid="ledger-size">
              {fmt.number(head.size)}
            </Text>
          </Paper>
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {t('compliance.ledger.root')}
            </Text>
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {head.rootHash}
            </Text>
          </Paper>
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              {t('compliance.ledger.latest')}
            </Text>
            <Text size="sm">
              {head.latestCheckpoint
                ? t('compliance.ledger.latestAt', {
                    size: head.latestCheckpoint.size,
                    at: fmt.dateTime(head.latestCheckpoint.createdAt),
                  })
                : '—'}
            </Text>
          </Paper>
        </SimpleGrid>
      )}
      <Group>
        <Button onClick={() => void download()} loading={exporting} data-testid="ledger-export">
          {t('compliance.ledger.export')}
        </Button>
        {exportError && (
          <Text c="red.9" role="alert">
            {exportError}
          </Text>
        )}
      </Group>
      <VerifyExport trust={trust} />
      <Title order={2} size="h4">
        {t('compliance.ledger.alerts')}
      </Title>
      {data && data.ledgerAlerts.nodes.length === 0 && (
        <Text c="dimmed">{t('compliance.ledger.noAlerts')}</Text>
      )}
      {data?.ledgerAlerts.nodes.map((a) => (
        <Alert key={a.id} color="red" title={t(`compliance.ledger.alertKinds.${a.kind}`, a.kind)}>
          {fmt.dateTime(a.createdAt)} — {a.message}
        </Alert>
      ))}
      <Title order={2} size="h4">
        {t('compliance.ledger.checkpoints')}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('compliance.ledger.size')}</Table.Th>
            <Table.Th>{t('compliance.ledger.root')}</Table.Th>
            <Table.Th>{t('compliance.ledger.when')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data?.ledgerCheckpoints.nodes.map((c) => (
            <Table.Tr key={`${c.size}-${c.createdAt}`}>
              <Table.Td>{fmt.number(c.size)}</Table.Td>
              <Table.Td>
                <Code>{c.rootHash}</Code>
              </Table.Td>
              <Table.Td>{fmt.dateTime(c.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4">
        {t('compliance.ledger.federation')}
      </Title>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('compliance.ledger.size')}</Table.Th>
            <Table.Th>{t('compliance.ledger.root')}</Table.Th>
            <Table.Th>{t('compliance.ledger.when')}</Table.Th>
            <Table.Th>{t('compliance.ledger.consistency')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data?.ledgerFederationCheckpoints.nodes.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{fmt.number(c.size)}</Table.Td>
              <Table.Td>
                <Code>{c.rootHash}</Code>
              </Table.Td>
              <Table.Td>{fmt.dateTime(c.receivedAt)}</Table.Td>
              <Table.Td>
                <Badge color={c.status === 'INCONSISTENT' ? 'red.9' : 'teal.9'}>
                  {t(`compliance.ledger.statuses.${c.status}`)}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <TrustPanel trust={trust} onPin={pin} onUnpin={unpin} />
    </Stack>
  );
}
