import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Loader, NumberInput, Stack, Table } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasAnyRole, useSession } from '../auth/useSession';
import { QueryError, applyServerError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { FederationKeys, RotateFederationKey } from './queries';
import { ConfirmDialog, PageHeader, ShortId, StatusBadge } from './ui';

/** The federation's signing keys and their rotation with a grace period. */
export default function KeysPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, loading, error } = useQuery(FederationKeys);
  const [rotate, rotating] = useMutation(RotateFederationKey, { refetchQueries: ['OperatorFederationKeys'] });
  const [opened, setOpened] = useState(false);
  const [hours, setHours] = useState<number | string>(24);
  const [graceError, setGraceError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  // The federation's compliance officer reads; only the operator acts (the server refuses others too).
  const canAct = hasAnyRole(useSession(), ['OPERATOR']);
  const confirm = async () => {
    setFormError(null);
    if (typeof hours !== 'number' || hours < 0) {
      setGraceError(t('operator.keys.grace'));
      return;
    }
    try {
      const result = await rotate({ variables: { graceSeconds: Math.round(hours * 3600) } });
      notifySaved(
        t('operator.keys.rotated', { date: format.dateTime(result.data?.rotateFederationKey.activatesAt) }),
      );
      setOpened(false);
    } catch (failure) {
      setFormError(applyServerError(failure, (_field, message) => setGraceError(message), ['graceSeconds']));
    }
  };

  return (
    <Stack>
      <PageHeader title={t('operator.keys.title')} intro={t('operator.keys.intro')}>
        <Button
          hidden={!canAct}
          onClick={() => {
            setOpened(true);
            setFormError(null);
            setGraceError(null);
          }}
          data-testid="rotate-key"
        >
          {t('operator.keys.rotate')}
        </Button>
      </PageHeader>
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('operator.keys.title')} />}
      {data && (
        <Table striped data-testid="federation-keys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('operator.keys.kid')}</Table.Th>
              <Table.Th>{t('operator.common.status')}</Table.Th>
              <Table.Th>{t('operator.keys.created')}</Table.Th>
              <Table.Th>{t('operator.keys.activates')}</Table.Th>
              <Table.Th>{t('operator.keys.retired')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.federationKeys.map((key) => (
              <Table.Tr key={key.kid}>
                <Table.Td>
                  <ShortId value={key.kid} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge value={key.status} label={t(`operator.keys.status.${key.status}`)} />
                </Table.Td>
                <Table.Td>{format.dateTime(key.createdAt)}</Table.Td>
                <Table.Td>{format.dateTime(key.activatesAt)}</Table.Td>
                <Table.Td>{format.dateTime(key.retiredAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmDialog
        opened={opened}
        title={t('operator.keys.rotateTitle')}
        effect={t('operator.keys.rotateEffect')}
        confirmLabel={t('operator.keys.confirmRotate')}
        busy={rotating.loading}
        error={formError}
        onClose={() => setOpened(false)}
        onConfirm={() => void confirm()}
      >
        <NumberInput
          label={t('operator.keys.grace')}
          min={0}
          max={24 * 90}
          allowDecimal={false}
          value={hours}
          error={graceError}
          onChange={(value) => {
            setHours(value);
            setGraceError(null);
          }}
        />
      </ConfirmDialog>
    </Stack>
  );
}
