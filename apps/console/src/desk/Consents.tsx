import { useLazyQuery, useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  ScrollArea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CollectionMethod, DataCategory, Purpose } from '../gql/graphql';
import { notifySaved } from '../lib/notify';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import {
  ConsentPartners,
  ExportConsentReceipt,
  GiveConsent,
  PublishedNotices,
  WithdrawConsent,
} from './actions.queries';
import { CustomerConsents } from './queries';

const PURPOSES: Purpose[] = ['CUSTOMER_CARE', 'MARKETING', 'ANALYTICS'];
const CATEGORIES: DataCategory[] = ['CONTACT', 'CARE_HISTORY', 'ORDERS', 'SEGMENT_MEMBERSHIP'];
const METHODS: CollectionMethod[] = ['IN_PERSON', 'PHONE', 'PAPER', 'WEB_FORM', 'EMAIL'];
// The server's rules (GiveConsentInput): at least one purpose, category and recipient; jurisdiction: ISO 3166-1 alpha-2, optionally a subdivision.
const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

function oneYearFromNow(): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/** Capture against the published notice (text and version shown), with the customer's choices. */
function CaptureConsent({
  customerId,
  language,
  onDone,
}: {
  customerId: string;
  language: string | null;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const notices = useQuery(PublishedNotices);
  const partners = useQuery(ConsentPartners);
  const [give, { loading }] = useMutation(GiveConsent);
  const [failure, setFailure] = useState<string | null>(null);
  const all = notices.data?.privacyNotices.nodes ?? [];
  const wanted = language ?? i18n.language;
  const notice = all.find((n) => n.language.startsWith(wanted)) ?? all[0];
  const recipients = (partners.data?.consentPartners ?? []).filter((p) => p.direction !== 'INBOUND');
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      purposes: ['CUSTOMER_CARE'] as string[],
      categories: ['CARE_HISTORY'] as string[],
      recipients: [] as string[],
      collectionMethod: 'IN_PERSON' as CollectionMethod,
      jurisdiction: 'IT',
      validUntil: oneYearFromNow(),
    },
    validate: {
      purposes: (v) => (v.length ? null : t('consent.pickOne')),
      categories: (v) => (v.length ? null : t('consent.pickOne')),
      recipients: (v) => (v.length ? null : t('consent.pickOne')),
      jurisdiction: (v) => (JURISDICTION.test(v) ? null : 'ISO 3166-1 (IT, FR, US-CA)'),
      validUntil: (v) => (v && !Number.isNaN(Date.parse(v)) ? null : t('errors.required')),
    },
  });
  if (notices.error) return <QueryError error={notices.error} />;
  if (partners.error) return <QueryError error={partners.error} />;
  if (notices.data && !notice) return <Alert color="yellow.9">{t('consent.noNotice')}</Alert>;
  const submit = form.onSubmit(async (values) => {
    if (!notice) return;
    setFailure(null);
    try {
      await give({
        variables: {
          input: {
            customerId,
            privacyNoticeId: notice.id,
            purposes: values.purposes as Purpose[],
            categories: values.categories as DataCategory[],
            recipients: values.recipients,
            collectionMethod: values.collectionMethod,
            jurisdiction: values.jurisdiction,
            validUntil: new Date(`${values.validUntil}T23:59:59Z`).toISOString(),
          },
        },
      });
      notifySaved(t('consent.saved'));
      onDone();
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, [
        'purposes',
        'categories',
        'recipients',
        'collectionMethod',
        'jurisdiction',
        'validUntil',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={t('consent.capture')} data-testid="consent-form">
      <Stack>
        {failure && (
          <Alert color="red.9" role="alert">
            {failure}
          </Alert>
        )}
        {notice && (
          <Paper withBorder p="sm" data-testid="consent-notice">
            <Text fw={600}>{notice.title}</Text>
            <Text size="xs" c="dimmed">
              {t('consent.notice')} —{' '}
              {t('consent.noticeVersion', { version: notice.version, language: notice.language })}
            </Text>
            <ScrollArea.Autosize mah={160} mt="xs">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {notice.body}
              </Text>
            </ScrollArea.Autosize>
          </Paper>
        )}
        <Checkbox.Group label={t('consent.purposes')} {...form.getInputProps('purposes')}>
          <Group mt={4}>
            {PURPOSES.map((p) => (
              <Checkbox key={p} value={p} label={t(`purpose.${p}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Checkbox.Group label={t('consent.categories')} {...form.getInputProps('categories')}>
          <Group mt={4}>
            {CATEGORIES.map((c) => (
              <Checkbox key={c} value={c} label={t(`category.${c}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Checkbox.Group label={t('consent.recipients')} {...form.getInputProps('recipients')}>
          <Group mt={4}>
            {recipients.length === 0 && <Text size="sm">{t('consent.noPartners')}</Text>}
            {[...new Map(recipients.map((p) => [p.partnerId, p])).values()].map((p) => (
              <Checkbox
                key={p.partnerId}
                value={p.partnerId}
                label={`${p.name} (${p.purposes.map((x) => t(`purpose.${x}`)).join(', ')})`}
              />
            ))}
          </Group>
        </Checkbox.Group>
        <Group grow>
          <Select
            label={t('consent.method')}
            allowDeselect={false}
            data={METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
            {...form.getInputProps('collectionMethod')}
          />
          <TextInput label={t('consent.jurisdiction')} {...form.getInputProps('jurisdiction')} />
          <TextInput type="date" label={t('consent.validUntil')} {...form.getInputProps('validUntil')} />
        </Group>
        <Button type="submit" loading={loading} w="fit-content" disabled={!notice}>
          {t('consent.save')}
        </Button>
      </Stack>
    </form>
  );
}

function Receipt({ consentId }: { consentId: string }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [load, { data, loading, error }] = useLazyQuery(ExportConsentReceipt);
  const text = data?.exportConsentReceipt;
  const pretty = useMemo(() => (text ? JSON.stringify(JSON.parse(text), null, 2) : ''), [text]);
  const href = useMemo(
    () => (text ? URL.createObjectURL(new Blob([text], { type: 'application/json' })) : undefined),
    [text],
  );
  return (
    <>
      <Button
        size="xs"
        variant="light"
        loading={loading}
        onClick={() => {
          setOpened(true);
          void load({ variables: { consentId } });
        }}
      >
        {t('consent.showReceipt')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('consent.receiptTitle')} size="xl">
        {error && <QueryError error={error} />}
        {text && (
          <Stack>
            <Button
              component="a"
              href={href}
              download={`consent-receipt-${consentId}.json`}
              w="fit-content"
              data-testid="download-receipt"
            >
              {t('consent.download')}
            </Button>
            <ScrollArea.Autosize mah={420}>
              <Code block data-testid="receipt-text">
                {pretty}
              </Code>
            </ScrollArea.Autosize>
          </Stack>
        )}
      </Modal>
    </>
  );
}

function Withdraw({ consentId, onDone }: { consentId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [withdraw, { loading }] = useMutation(WithdrawConsent);
  const confirm = async () => {
    setFailure(null);
    try {
      await withdraw({ variables: { consentId, reason: reason.trim() || null } });
      notifySaved(t('consent.withdrawn'));
      setOpened(false);
      onDone();
    } catch (error) {
      setFailure(t('errors.saveFailed', { message: applyServerError(error, () => undefined, []) ?? '' }));
    }
  };
  return (
    <>
      <Button size="xs" color="red.9" variant="light" onClick={() => setOpened(true)}>
        {t('consent.withdraw')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('consent.withdrawTitle')}>
        <Stack>
          <Text size="sm">{t('consent.withdrawBody')}</Text>
          {failure && (
            <Alert color="red.9" role="alert">
              {failure}
            </Alert>
          )}
          <TextInput
            label={t('consent.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('consent.cancel')}
            </Button>
            <Button
              color="red.9"
              loading={loading}
              onClick={() => void confirm()}
              data-testid="confirm-withdraw"
            >
              {t('consent.confirmWithdraw')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** The customer's consents at a glance, with withdrawal and the signed receipt; capture when `canWrite`. */
export function Consents({
  customerId,
  language,
  canWrite,
  onChanged,
}: {
  customerId: string;
  language: string | null;
  canWrite: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error, refetch } = useQuery(CustomerConsents, { variables: { customerId } });
  // Names only: the session's list is enough (Customer360 asks it once a session).
  const partners = useQuery(ConsentPartners, { fetchPolicy: 'cache-first' });
  const names = new Map((partners.data?.consentPartners ?? []).map((p) => [p.partnerId, p.name]));
  const [capturing, setCapturing] = useState(false);
  const done = () => {
    setCapturing(false);
    void refetch();
    onChanged();
  };
  if (error) return <QueryError error={error} />;
  const rows = data?.customerConsents.nodes ?? [];
  return (
    <Stack gap="xs" data-testid="consents">
      {rows.length === 0 && <Text c="dimmed">{t('customer.noConsents')}</Text>}
      {rows.map((c) => (
        <Paper withBorder p="sm" key={c.id} data-testid="consent">
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Group gap="xs">
                <Badge color={c.status === 'LIVE' ? 'teal.9' : 'gray.8'} data-testid="consent-status">
                  {t(`consentStatus.${c.status}`)}
                </Badge>
                <Text size="sm">{c.purposes.map((p) => t(`purpose.${p}`)).join(', ')}</Text>
              </Group>
              <Text size="xs">{c.categories.map((x) => t(`category.${x}`)).join(', ')}</Text>
              <Text size="xs">
                {t('consent.to', { partners: c.recipients.map((r) => names.get(r) ?? r).join(', ') || '—' })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('consent.given', { date: f.date(c.givenAt) })} ·{' '}
                {t('consent.noticeVersion', { version: c.noticeVersion, language: c.language })}
              </Text>
            </Stack>
            <Group gap="xs">
              <Receipt consentId={c.id} />
              {canWrite && c.status === 'LIVE' && <Withdraw consentId={c.id} onDone={done} />}
            </Group>
          </Group>
        </Paper>
      ))}
      {canWrite &&
        (capturing ? (
          <Paper withBorder p="md">
            <Title order={3} size="h5" mb="sm">
              {t('consent.capture')}
            </Title>
            <CaptureConsent customerId={customerId} language={language} onDone={done} />
          </Paper>
        ) : (
          <Button variant="light" w="fit-content" onClick={() => setCapturing(true)}>
            {t('consent.capture')}
          </Button>
        ))}
    </Stack>
  );
}
