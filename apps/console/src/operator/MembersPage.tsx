import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Group, Loader, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasAnyRole, useSession } from '../auth/useSession';
import { QueryError, applyServerError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { Members, ReinstateMember, RenewMembership, SuspendMember } from './queries';
import { ConfirmDialog, PageHeader, StatusBadge } from './ui';

type Action = 'suspend' | 'reinstate' | 'renew';
interface Acting {
  partnerId: string;
  action: Action;
  activeAgreements: number;
  validUntil: string;
}

/** `yyyy-mm-dd` a year after `from` (or now), for the renewal's date field. */
function yearAfter(from: string): string {
  const base = Math.max(Date.parse(from) || 0, Date.now());
  return new Date(base + 365 * 86_400_000).toISOString().slice(0, 10);
}

/** Members: suspend, reinstate, renew, each with its effect said before it is confirmed. */
export default function MembersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, loading, error } = useQuery(Members);
  const [acting, setActing] = useState<Acting | null>(null);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [fieldError, setFieldError] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const refetch = { refetchQueries: ['OperatorMembers'], awaitRefetchQueries: true };
  const [suspend, suspending] = useMutation(SuspendMember, refetch);
  const [reinstate, reinstating] = useMutation(ReinstateMember, refetch);
  const [renew, renewing] = useMutation(RenewMembership, refetch);

  const agreements = data?.agreements.nodes ?? [];
  const activeAgreements = (partnerId: string) =>
    agreements.filter((a) => a.state === 'ACTIVE' && (a.partyA === partnerId || a.partyB === partnerId))
      .length;

  const open = (partnerId: string, action: Action, validUntil: string) => {
    setActing({ partnerId, action, activeAgreements: activeAgreements(partnerId), validUntil });
    setReason('');
    setUntil(yearAfter(validUntil));
    setFieldError({});
    setFormError(null);
  };

  const confirm = async () => {
    if (!acting) return;
    const { partnerId } = acting;
    setFormError(null);
    try {
      if (acting.action === 'suspend') {
        if (!reason.trim()) return setFieldError({ reason: t('operator.common.reasonRequired') });
        await suspend({ variables: { partnerId, reason: reason.trim() } });
        notifySaved(t('operator.members.suspendedNotice', { partner: partnerId }));
      } else if (acting.action === 'reinstate') {
        await reinstate({ variables: { partnerId } });
        notifySaved(t('operator.members.reinstatedNotice', { partner: partnerId }));
      } else {
        // The end of the chosen day, UTC.
        const validUntil = until ? new Date(`${until}T23:59:59Z`).toISOString() : null;
        const result = await renew({ variables: { partnerId, validUntil } });
        notifySaved(
          t('operator.members.renewedNotice', {
            partner: partnerId,
            date: format.date(result.data?.renewMembership.validUntil),
          }),
        );
      }
      setActing(null);
    } catch (failure) {
      setFormError(
        applyServerError(failure, (field, message) => setFieldError({ [field]: message }), [
          'reason',
          'validUntil',
        ]),
      );
    }
  };

  // The federation's compliance officer reads; only the operator acts (the server refuses others too).
  const canAct = hasAnyRole(useSession(), ['OPERATOR']);
  const rows = data?.members.nodes ?? [];
  const partner = acting?.partnerId ?? '';
  const count = acting?.activeAgreements ?? 0;
  const dialog = {
    suspend: {
      title: t('operator.members.suspendTitle', { partner }),
      effect: t('operator.members.suspendEffect', { partner, count }),
      confirm: t('operator.members.confirmSuspend'),
    },
    reinstate: {
      title: t('operator.members.reinstateTitle', { partner }),
      effect: t('operator.members.reinstateEffect', { partner, count }),
      confirm: t('operator.members.confirmReinstate'),
    },
    renew: {
      title: t('operator.members.renewTitle', { partner }),
      effect: t('operator.members.renewEffect', { partner, current: format.date(acting?.validUntil) }),
      confirm: t('operator.members.confirmRenew'),
    },
  }[acting?.action ?? 'renew'];

  return (
    <Stack>
      <PageHeader title={t('operator.members.title')} intro={t('operator.members.intro')} />
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('operator.members.title')} />}
      {data && rows.length === 0 && <Text>{t('operator.common.none')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="sm" data-testid="members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.common.partner')}</Table.Th>
                <Table.Th>{t('operator.common.status')}</Table.Th>
                <Table.Th>{t('operator.members.termEnds')}</Table.Th>
                <Table.Th>{t('operator.members.keys')}</Table.Th>
                <Table.Th>{t('operator.members.activeAgreements')}</Table.Th>
                <Table.Th>{t('operator.common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((member) => (
                <Table.Tr key={member.partnerId} data-partner={member.partnerId}>
                  <Table.Td>
                    <Text fw={600}>{member.name}</Text>
                    <Text size="sm" c="dimmed">
                      {member.partnerId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <StatusBadge
                        value={member.status}
                        label={t(`operator.members.status.${member.status}`)}
                      />
                      {member.status === 'SUSPENDED' && member.statusReason && (
                        <Text size="xs">
                          {t('operator.members.suspendedBecause', { reason: member.statusReason })}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>{format.date(member.validUntil)}</Table.Td>
                  <Table.Td>
                    {format.number(member.keys.filter((k) => k.state !== 'REVOKED').length)}
                  </Table.Td>
                  <Table.Td>{format.number(activeAgreements(member.partnerId))}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" hidden={!canAct}>
                      {member.status === 'ACTIVE' && (
                        <Button
                          size="xs"
                          variant="outline"
                          color="red.9"
                          onClick={() => open(member.partnerId, 'suspend', member.validUntil)}
                        >
                          {t('operator.members.suspend')}
                        </Button>
                      )}
                      {member.status === 'SUSPENDED' && (
                        <Button
                          size="xs"
                          onClick={() => open(member.partnerId, 'reinstate', member.validUntil)}
                        >
                          {t('operator.members.reinstate')}
                        </Button>
                      )}
                      {member.status !== 'REMOVED' && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => open(member.partnerId, 'renew', member.validUntil)}
                        >
                          {t('operator.members.renew')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmDialog
        opened={acting !== null}
        title={dialog.title}
        effect={dialog.effect}
        confirmLabel={dialog.confirm}
        color={acting?.action === 'suspend' ? 'red.9' : undefined}
        busy={suspending.loading || reinstating.loading || renewing.loading}
        error={formError}
        onClose={() => setActing(null)}
        onConfirm={() => void confirm()}
      >
        {acting?.action === 'suspend' && (
          <Textarea
            label={t('operator.common.reason')}
            required
            maxLength={500}
            value={reason}
            error={fieldError['reason']}
            onChange={(event) => {
              setReason(event.currentTarget.value);
              setFieldError({});
            }}
          />
        )}
        {acting?.action === 'renew' && (
          <TextInput
            type="date"
            label={t('operator.members.newEnd')}
            value={until}
            error={fieldError['validUntil']}
            onChange={(event) => {
              setUntil(event.currentTarget.value);
              setFieldError({});
            }}
          />
        )}
      </ConfirmDialog>
    </Stack>
  );
}
