import { useApolloClient } from '@apollo/client/react';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Input,
  Paper,
  Progress,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { downloadText } from './Confirm';
import { ExportCustomer, ImportProgress } from './queries';
import { problemsCsv, uploadCsv, type ImportReport } from './upload';

type Kind = 'customers' | 'orders';
interface Progressing {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  badRows: number;
  phase: string;
}

/** Polls the server's progress of an upload while it runs (the bar follows the server, not the browser). */
function useServerProgress(jobId: string | null): Progressing | null {
  const client = useApolloClient();
  const [progress, setProgress] = useState<Progressing | null>(null);
  useEffect(() => {
    if (!jobId) return;
    setProgress(null);
    let stopped = false;
    const tick = async () => {
      try {
        const { data } = await client.query({
          query: ImportProgress,
          variables: { jobId },
          fetchPolicy: 'network-only',
        });
        if (!stopped && data) setProgress(data.importProgress);
      } catch {
        // Not started yet on the server (NOT_FOUND): the next tick asks again.
      }
    };
    const timer = setInterval(() => void tick(), 250);
    void tick();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [jobId, client]);
  return progress;
}

function ProgressBar({ progress, label }: { progress: Progressing | null; label: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const value =
    progress && progress.totalBytes > 0 ? Math.round((progress.bytesRead / progress.totalBytes) * 100) : 0;
  return (
    <Stack gap={4}>
      <Progress.Root size="lg" aria-hidden>
        <Progress.Section value={value} animated={progress?.phase !== 'done'} />
      </Progress.Root>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        data-testid="import-progress"
        data-value={value}
      >
        <Text size="sm">
          {progress
            ? t(`admin.imports.phase.${progress.phase}`, {
                percent: value,
                rows: f.number(progress.rows),
                bad: f.number(progress.badRows),
              })
            : t('admin.imports.starting')}
        </Text>
      </div>
    </Stack>
  );
}

function NotCountedWarning({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = report.notCounted!;
  const statuses = Object.entries(n.byStatus)
    .map(([status, count]) => `${status}: ${f.number(count)}`)
    .join(', ');
  return (
    <Alert
      color="yellow"
      variant="light"
      role="alert"
      title={t('admin.imports.notCountedTitle')}
      styles={{
        title: { color: 'var(--mantine-color-black)' },
        message: { color: 'var(--mantine-color-black)' },
      }}
      data-testid="not-counted"
    >
      <Text size="sm">
        {t('admin.imports.notCounted', {
          orders: f.number(n.orders),
          of: f.number(n.ofOrders),
          statuses,
          counted: n.countedStatuses.join(', '),
        })}
      </Text>
      {n.statusColumnMissing && <Text size="sm">{t('admin.imports.noStatusColumn')}</Text>}
    </Alert>
  );
}

function ReportView({ report, fileName }: { report: ImportReport; fileName: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack data-testid="import-report">
      <Text size="sm">
        {t('admin.imports.readRows', { rows: f.number(report.rows), bad: f.number(report.badRows) })}
      </Text>
      {report.fileProblems.map((p) => (
        <Alert key={p} color="red.9" role="alert">
          {p}
        </Alert>
      ))}
      {report.badRows > 0 && (
        <>
          <Group>
            <Button
              variant="light"
              onClick={() =>
                downloadText(
                  `${fileName.replace(/\.csv$/i, '')}-problems.csv`,
                  'text/csv',
                  problemsCsv(report),
                )
              }
              data-testid="download-problems"
            >
              {t('admin.imports.downloadProblems', { count: report.problems.length })}
            </Button>
          </Group>
          <Table withTableBorder striped data-testid="problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>{t('admin.imports.line')}</Table.Th>
                <Table.Th>{t('admin.imports.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.problems.slice(0, 50).map((p) => (
                <Table.Tr key={`${p.line}-${p.reason}`}>
                  <Table.Td>{p.line}</Table.Td>
                  <Table.Td>{p.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {report.notCounted && <NotCountedWarning report={report} />}
      {report.written && (
        <Alert color="teal.9" data-testid="import-done">
          {t('admin.imports.written', {
            inserted: f.number(report.inserted),
            updated: f.number(report.updated),
            unchanged: f.number(report.unchanged),
          })}
        </Alert>
      )}
    </Stack>
  );
}

function ImportPanel() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<Kind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const [checked, setChecked] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [running, setRunning] = useState<'check' | 'import' | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const progress = useServerProgress(jobId);
  const fileRef = useRef<File | null>(null);
  fileRef.current = file;

  const reset = () => {
    setChecked(null);
    setResult(null);
    setAcknowledged(false);
    setFailure(null);
    setJobId(null);
  };
  const run = async (dryRun: boolean) => {
    if (!file) return setFailure(t('admin.imports.pickFile'));
    setFailure(null);
    setResult(null);
    const id = crypto.randomUUID();
    setJobId(id);
    setRunning(dryRun ? 'check' : 'import');
    try {
      const report = await uploadCsv(kind, file, { jobId: id, dryRun, skipInvalid });
      if (dryRun) setChecked(report);
      else {
        setResult(report);
        if (report.written) notifySaved(t('admin.imports.imported'));
      }
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(null);
    }
  };
  const importable =
    checked &&
    checked.fileProblems.length === 0 &&
    (checked.badRows === 0 || skipInvalid) &&
    (!checked.notCounted || acknowledged);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="import-title">
      <Stack>
        <Title order={2} size="h4" id="import-title">
          {t('admin.imports.import')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.imports.hint')}
        </Text>
        <SegmentedControl
          value={kind}
          onChange={(v) => {
            setKind(v as Kind);
            reset();
          }}
          data={[
            { value: 'customers', label: t('admin.imports.customers') },
            { value: 'orders', label: t('admin.imports.orders') },
          ]}
          aria-label={t('admin.imports.kind')}
          w="fit-content"
          data-testid="import-kind"
        />
        <Input.Wrapper label={t('admin.imports.file')} id="import-file">
          {/* The native file input: a real label, keyboard and screen readers as the browser gives them. */}
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            style={{ display: 'block', marginTop: 4 }}
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              reset();
            }}
          />
        </Input.Wrapper>
        <Checkbox
          label={t('admin.imports.skipInvalid')}
          checked={skipInvalid}
          onChange={(e) => setSkipInvalid(e.currentTarget.checked)}
        />
        {failure && (
          <Alert color="red.9" role="alert">
            {failure}
          </Alert>
        )}
        <Group>
          <Button
            onClick={() => void run(true)}
            loading={running === 'check'}
            disabled={!file || running !== null}
            data-testid="import-check"
          >
            {t('admin.imports.check')}
          </Button>
          <Button
            onClick={() => void run(false)}
            loading={running === 'import'}
            disabled={!importable || running !== null}
            color="teal.9"
            data-testid="import-confirm"
          >
            {t('admin.imports.confirm')}
          </Button>
        </Group>
        {jobId && (
          <ProgressBar
            progress={progress}
            label={
              running === 'import' || result ? t('admin.imports.importing') : t('admin.imports.checking')
            }
          />
        )}
        {checked && !result && <ReportView report={checked} fileName={file?.name ?? 'import.csv'} />}
        {checked?.notCounted && !result && (
          <Checkbox
            label={t('admin.imports.acknowledge')}
            checked={acknowledged}
            onChange={(e) => setAcknowledged(e.currentTarget.checked)}
            data-testid="acknowledge-not-counted"
          />
        )}
        {result && <ReportView report={result} fileName={file?.name ?? 'import.csv'} />}
      </Stack>
    </Paper>
  );
}

function ExportPanel() {
  const { t } = useTranslation();
  const client = useApolloClient();
  const [id, setId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setError(null);
    if (!/^[0-9a-f-]{36}$/i.test(id.trim())) return setError(t('admin.imports.customerIdRule'));
    setBusy(true);
    try {
      const { data } = await client.query({
        query: ExportCustomer,
        variables: { id: id.trim() },
        fetchPolicy: 'network-only',
      });
      downloadText(
        `customer-${id.trim()}.json`,
        'application/json',
        JSON.stringify(data?.exportCustomer, null, 2),
      );
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="export-title">
      <Stack>
        <Title order={2} size="h4" id="export-title">
          {t('admin.imports.export')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.imports.exportHint')}
        </Text>
        <Group align="flex-start">
          <TextInput
            label={t('admin.imports.customerId')}
            value={id}
            onChange={(e) => setId(e.currentTarget.value)}
            error={error}
            w={380}
          />
          <Button mt={25} onClick={() => void run()} loading={busy} data-testid="export-customer">
            {t('admin.imports.exportSubmit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Imports (customers and orders CSV: check, then import, progress from the server) and a customer's export. */
export default function Imports() {
  const { t } = useTranslation();
  return (
    <Stack maw={1100}>
      <Title order={1}>{t('admin.imports.title')}</Title>
      <ImportPanel />
      <ExportPanel />
    </Stack>
  );
}
