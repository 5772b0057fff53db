import { Alert, Badge, Button, Group, Modal, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A screen's title and the sentence that says what it shows. */
export function PageHeader({
  title,
  intro,
  children,
}: {
  title: string;
  intro: string;
  children?: ReactNode;
}) {
  return (
    <Stack gap="xs" mb="md">
      <Group justify="space-between" align="flex-start">
        <Title order={1}>{title}</Title>
        {children}
      </Group>
      <Text c="dimmed" maw={820}>
        {intro}
      </Text>
    </Stack>
  );
}

const STATUS_COLOURS: Record<string, string> = {
  ACTIVE: 'teal.9',
  CURRENT: 'teal.9',
  APPROVED: 'teal.9',
  PENDING: 'yellow.9',
  PROPOSED: 'yellow.9',
  ACCEPTED: 'blue.9',
  NEXT: 'blue.9',
  SUSPENDED: 'red.9',
  REJECTED: 'red.9',
  REMOVED: 'gray.8',
  TERMINATED: 'gray.8',
  EXPIRED: 'gray.8',
  HISTORICAL: 'gray.8',
};

/** A state as a coloured badge (dark shades: readable on white, axe-core contrast). */
export function StatusBadge({ value, label }: { value: string; label: string }) {
  return (
    <Badge color={STATUS_COLOURS[value] ?? 'gray.8'} variant="filled" autoContrast data-status={value}>
      {label}
    </Badge>
  );
}

/** A long identifier (key thumbprint, hash) shortened, the whole of it in a tooltip and for screen readers. */
export function ShortId({ value }: { value: string }) {
  const short = value.length > 14 ? `${value.slice(0, 10)}…` : value;
  return (
    <Tooltip label={value}>
      <Text component="code" ff="monospace" size="xs" aria-label={value}>
        {short}
      </Text>
    </Tooltip>
  );
}

/**
 * A confirmation that says what the action will do before it is done; extra fields (a reason, a
 * date) go in `children`; a failure shows in the dialog and keeps what was typed.
 */
export function ConfirmDialog(props: {
  opened: boolean;
  title: string;
  effect: string;
  confirmLabel: string;
  color?: string;
  busy?: boolean;
  error?: string | null;
  onClose: () => void;
  onConfirm: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={props.title}
      size="lg"
      closeButtonProps={{ 'aria-label': t('app.close') }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          props.onConfirm();
        }}
        noValidate
      >
        <Stack>
          <Text data-testid="effect">{props.effect}</Text>
          {props.children}
          {props.error && (
            <Alert color="red.9" role="alert">
              {props.error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('operator.common.cancel')}
            </Button>
            <Button type="submit" color={props.color ?? 'indigo'} loading={props.busy} data-testid="confirm">
              {props.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
