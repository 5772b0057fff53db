import { useQuery } from '@apollo/client/react';
import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../lib/errors';
import { downloadText } from './download';
import { AccessReport } from './queries';

/** GDPR Art. 15: the report as the node renders it, to read, print and download (HTML and JSON). */
export function AccessReportView({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const frame = useRef<HTMLIFrameElement>(null);
  const { data, error } = useQuery(AccessReport, {
    variables: { id: customerId },
    fetchPolicy: 'network-only',
  });
  if (error) return <QueryError error={error} />;
  const report = data?.customerAccessReport;
  if (!report) return <Text c="dimmed">{t('compliance.common.loading')}</Text>;
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('compliance.report.title')}
      </Title>
      <Text size="sm">{t('compliance.report.explain')}</Text>
      <Group>
        <Button onClick={() => frame.current?.contentWindow?.print()} data-testid="report-print">
          {t('compliance.report.print')}
        </Button>
        <Button
          variant="default"
          onClick={() => downloadText(`access-report-${customerId}.html`, report.html, 'text/html')}
          data-testid="report-html"
        >
          {t('compliance.report.downloadHtml')}
        </Button>
        <Button
          variant="default"
          onClick={() =>
            downloadText(
              `access-report-${customerId}.json`,
              JSON.stringify(report.json, null, 2),
              'application/json',
            )
          }
          data-testid="report-json"
        >
          {t('compliance.report.downloadJson')}
        </Button>
      </Group>
      <Paper withBorder>
        {/* The node's self-contained page, isolated: no scripts run in it; same origin only so it can be printed. */}
        <iframe
          ref={frame}
          title={t('compliance.report.frameTitle')}
          srcDoc={report.html}
          sandbox="allow-same-origin allow-modals"
          style={{ width: '100%', height: 560, border: 0 }}
          data-testid="report-frame"
        />
      </Paper>
    </Stack>
  );
}
