import { useMutation, useQuery } from '@apollo/client/react';
import { Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError, applyServerError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import type { ApplicationStatus } from '../gql-federation/graphql';
import { Applications, ApproveApplication, RejectApplication } from './queries';
import { ConfirmDialog, PageHeader, ShortId, StatusBadge } from './ui';

type Pending = { id: string; partnerId: string; kind: 'approve' | 'reject' };

/** Applications to approve or reject, each with the applicant's keys (the signing one proven). */
export default function ApplicationsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [status, setStatus] = useState<ApplicationStatus>('PENDING');
  const { data, loading, error } = useQuery(Applications, { variables: { status } });
  const [acting, setActing] = useState<Pending | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const refetch = { refetchQueries: ['OperatorApplications', 'OperatorMembers'], awaitRefetchQueries: true };
  const [approve, approving] = useMutation(ApproveApplication, refetch);
  const [reject, rejecting] = useMutation(RejectApplication, refetch);

  const open = (next: Pending) => {
    setActing(next);
    setFormError(null);
    setReasonError(null);
  };
  const close = () => {
    setActing(null);
    setReason('');
  };
  const confirm = async () => {
    if (!acting) return;
    setFormError(null);
    try {
      if (acting.kind === 'approve') {
        await approve({ variables: { applicationId: acting.id } });
        notifySaved(t('operator.applications.approvedNotice', { partner: acting.partnerId }));
      } else {
        if (!reason.trim()) {
          setReasonError(t('operator.common.reasonRequired'));
          return;
        }
        await reject({ variables: { applicationId: acting.id, reason: reason.trim() } });
        notifySaved(t('operator.applications.rejectedNotice', { partner: acting.partnerId }));
      }
      close();
    } catch (failure) {
      setFormError(applyServerError(failure, (_field, message) => setReasonError(message), ['reason']));
    }
  };

  const rows = data?.applications.nodes ?? [];
  return (
    <Stack>
      <PageHeader title={t('operator.applications.title')} intro={t('operator.applications.intro')} />
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={(value) => setStatus(value as ApplicationStatus)}
        aria-label={t('operator.common.status')}
        data={[
          { value: 'PENDING', label: t('operator.applications.pending') },
          { value: 'APPROVED', label: t('operator.applications.approved') },
          { value: 'REJECTED', label: t('operator.applications.rejected') },
        ]}
      />
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('operator.applications.title')} />}
      {data && rows.length === 0 && <Text>{t('operator.common.none')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" data-testid="applications">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.common.partner')}</Table.Th>
                <Table.Th>{t('operator.applications.endpoint')}</Table.Th>
                <Table.Th>{t('operator.applications.keys')}</Table.Th>
                <Table.Th>{t('operator.applications.submitted')}</Table.Th>
                <Table.Th>{t('operator.common.status')}</Table.Th>
                {status === 'PENDING' && <Table.Th>{t('operator.common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((application) => (
                <Table.Tr key={application.id} data-partner={application.partnerId}>
                  <Table.Td>
                    <Text fw={600}>{application.name}</Text>
                    <Text size="sm" c="dimmed">
                      {application.partnerId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{application.endpoint}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={4}>
                      {application.keys.map((key) => (
                        <Group key={key.kid} gap={6} wrap="nowrap">
                          <ShortId value={key.kid} />
                          <Text size="xs">{key.curve}</Text>
                          <Badge
                            size="sm"
                            variant="outline"
                            color={key.signedTheApplication ? 'teal.9' : 'gray.8'}
                          >
                            {key.signedTheApplication
                              ? t('operator.applications.proven')
                              : t('operator.applications.notProven')}
                          </Badge>
                        </Group>
                      ))}
                    </Stack>
                  </Table.Td>
                  <Table.Td>{format.dateTime(application.submittedAt)}</Table.Td>
                  <Table.Td>
                    <StatusBadge
                      value={application.status}
                      label={t(`operator.applications.status.${application.status}`)}
                    />
                  </Table.Td>
                  {status === 'PENDING' && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          onClick={() =>
                            open({ id: application.id, partnerId: application.partnerId, kind: 'approve' })
                          }
                        >
                          {t('operator.applications.approve')}
                        </Button>
                        <Button
                          size="xs"
                          variant="outline"
                          color="red.9"
                          onClick={() =>
                            open({ id: application.id, partnerId: application.partnerId, kind: 'reject' })
                          }
                        >
                          {t('operator.applications.reject')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmDialog
        opened={acting !== null}
        title={
          acting?.kind === 'reject'
            ? t('operator.applications.rejectTitle', { partner: acting.partnerId })
            : t('operator.applications.approveTitle', { partner: acting?.partnerId ?? '' })
        }
        effect={
          acting?.kind === 'reject'
            ? t('operator.applications.rejectEffect')
            : t('operator.applications.approveEffect', { partner: acting?.partnerId ?? '' })
        }
        confirmLabel={
          acting?.kind === 'reject'
            ? t('operator.applications.confirmReject')
            : t('operator.applications.confirmApprove')
        }
        color={acting?.kind === 'reject' ? 'red.9' : undefined}
        busy={approving.loading || rejecting.loading}
        error={formError}
        onClose={close}
        onConfirm={() => void confirm()}
      >
        {acting?.kind === 'reject' && (
          <Textarea
            label={t('operator.common.reason')}
            required
            value={reason}
            error={reasonError}
            maxLength={500}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setReasonError(null);
            }}
          />
        )}
      </ConfirmDialog>
    </Stack>
  );
}
