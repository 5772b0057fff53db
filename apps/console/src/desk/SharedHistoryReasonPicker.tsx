import { useQuery } from '@apollo/client/react';
import { Button, Group, Modal, Paper, Select, Stack, Text } from '@mantine/core';
import { useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../lib/format';
import { CustomerCareCases, CustomerInteractions } from './actions.queries';
import { CareCaseForm } from './CareCaseForm';
import { InteractionForm } from './InteractionForm';
import { PageShown } from './page-shown';
import { formatReason, parseReason, REASON_WINDOW_MS, type SharedHistoryReason } from './reason';

const short = (id: string) => id.slice(0, 8);
const KINDS = ['case', 'interaction'] as const;
const NEW = { case: 'reason.newCase', interaction: 'reason.newInteraction' } as const;

/**
 * Partners' history is read for a reason (one of the customer's open or recent care cases or
 * interactions): the prompt with its select, or the reason in force with a way to change it. A case
 * opened or an interaction recorded from here becomes the reason.
 */
export function SharedHistoryReasonPicker({
  customerId,
  reason,
  onReason,
  prompt,
  reasonError,
  onCreated,
}: {
  customerId: string;
  reason: SharedHistoryReason | null;
  onReason: (reason: SharedHistoryReason) => void;
  /** The server said the page has local items only (no reason, or none accepted). */
  prompt: boolean;
  /** REASON_STALE / REASON_UNKNOWN / REASON_REQUIRED from the server, shown at the select. */
  reasonError: string | null;
  onCreated: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const cases = useQuery(CustomerCareCases, { variables: { customerId } });
  const interactions = useQuery(CustomerInteractions, { variables: { customerId } });
  const shown = useContext(PageShown);
  const [editing, setEditing] = useState(false);
  const [picked, setPicked] = useState<string | null>(null);
  const [creating, setCreating] = useState<SharedHistoryReason['kind'] | null>(null);

  const { groups, labels, defaultValue } = useMemo(() => {
    const since = Date.now() - REASON_WINDOW_MS;
    // What the reason in force shows: its subject (the select's labels say more).
    const labels = new Map<string, string>();
    const caseRows = [...(cases.data?.careCases.nodes ?? [])]
      // The server's rule (pull-reason.ts): open or pending, or ended (else last changed) within the window.
      .filter(
        (c) =>
          c.status === 'OPEN' ||
          c.status === 'PENDING' ||
          Date.parse(c.closedAt ?? c.resolvedAt ?? c.updatedAt) >= since,
      )
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
    const caseItems = caseRows.map((c) => {
      const value = formatReason({ kind: 'case', id: c.id });
      const label = t('reason.caseLabel', {
        ref: short(c.id),
        subject: c.subject,
        status: t(`caseStatus.${c.status}`),
      });
      labels.set(value, c.subject);
      return { value, label };
    });
    const interactionItems = (interactions.data?.interactions.nodes ?? [])
      .filter((i) => Math.max(Date.parse(i.occurredAt), Date.parse(i.createdAt)) >= since)
      .map((i) => {
        const value = formatReason({ kind: 'interaction', id: i.id });
        const label = t('reason.interactionLabel', {
          ref: short(i.id),
          subject: i.subject ?? t(`channel.${i.channel}`),
          date: f.date(i.occurredAt),
        });
        labels.set(value, i.subject ?? t(`channel.${i.channel}`));
        return { value, label };
      });
    const open = caseRows.find((c) => c.status === 'OPEN' || c.status === 'PENDING');
    return {
      groups: [
        ...(caseItems.length ? [{ group: t('reason.cases'), items: caseItems }] : []),
        ...(interactionItems.length ? [{ group: t('reason.interactions'), items: interactionItems }] : []),
      ],
      labels,
      defaultValue: open ? formatReason({ kind: 'case', id: open.id }) : null,
    };
  }, [cases.data, interactions.data, t, f]);

  const current = reason ? formatReason(reason) : null;
  const describe = (r: SharedHistoryReason) => {
    const subject = labels.get(formatReason(r));
    const ref = short(r.id);
    if (r.kind === 'case')
      return subject ? t('reason.currentCase', { ref, subject }) : t('reason.currentCaseRef', { ref });
    return subject
      ? t('reason.currentInteraction', { ref, subject })
      : t('reason.currentInteractionRef', { ref });
  };
  const choose = (r: SharedHistoryReason) => {
    setEditing(false);
    setPicked(null);
    onReason(r);
  };
  const created = (kind: SharedHistoryReason['kind']) => (id: string) => {
    setCreating(null);
    onCreated();
    choose({ kind, id });
  };

  const showPicker = prompt || editing || reasonError !== null || !reason;
  const value = picked ?? (reasonError ? null : current) ?? defaultValue;
  const selected = parseReason(value);

  return (
    <>
      {showPicker ? (
        <Paper
          withBorder
          p="sm"
          data-testid="reason-prompt"
          component="section"
          aria-labelledby="reason-title"
        >
          <Stack gap="xs">
            <Text id="reason-title" fw={600}>
              {t('reason.prompt')}
            </Text>
            <Group align="flex-end">
              <Select
                label={t('reason.label')}
                placeholder={groups.length ? t('reason.placeholder') : t('reason.none')}
                data={groups}
                value={value}
                onChange={setPicked}
                error={reasonError}
                searchable
                w={360}
                maw="100%"
                data-testid="reason-select"
              />
              {shown && (
                <Button
                  onClick={() => selected && choose(selected)}
                  disabled={!selected}
                  data-testid="reason-apply"
                >
                  {t('reason.apply')}
                </Button>
              )}
              {editing && !prompt && (
                <Button variant="subtle" onClick={() => setEditing(false)}>
                  {t('reason.cancel')}
                </Button>
              )}
            </Group>
            <Group gap="xs">
              <Text size="sm">{t('reason.orFirst')}</Text>
              {KINDS.map((kind) => (
                <Button
                  key={kind}
                  variant="light"
                  size="xs"
                  onClick={() => setCreating(kind)}
                  data-testid={`reason-new-${kind}`}
                >
                  {t(NEW[kind])}
                </Button>
              ))}
            </Group>
          </Stack>
        </Paper>
      ) : (
        reason && (
          <Group gap="xs" data-testid="reason-current">
            <Text size="sm">{describe(reason)}</Text>
            <Button variant="subtle" size="xs" onClick={() => setEditing(true)} data-testid="reason-change">
              {t('reason.change')}
            </Button>
          </Group>
        )
      )}
      <Modal
        opened={creating !== null}
        onClose={() => setCreating(null)}
        title={creating ? t(NEW[creating]) : undefined}
        closeButtonProps={{ 'aria-label': t('app.close') }}
      >
        {creating === 'case' && <CareCaseForm customerId={customerId} onDone={created('case')} />}
        {creating === 'interaction' && (
          <InteractionForm customerId={customerId} onDone={created('interaction')} />
        )}
      </Modal>
    </>
  );
}
