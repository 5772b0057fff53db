import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';

/**
 * A button that asks before acting: the modal says what will happen, the action runs on confirm,
 * and a failure is shown in the modal (which stays open so nothing is lost).
 */
export function ConfirmButton({
  label,
  title,
  body,
  confirmLabel,
  onConfirm,
  color,
  testId,
  disabled,
  children,
}: {
  label: string;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  color?: string;
  testId?: string;
  disabled?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
      setOpened(false);
    } catch (error) {
      setFailure(describeError(error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        size="xs"
        // A shade (red.9) in the light variant loses its text: dangerous actions are filled.
        variant={color ? 'filled' : 'light'}
        color={color}
        onClick={() => setOpened(true)}
        data-testid={testId}
        disabled={disabled}
      >
        {label}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={title}>
        <Stack>
          <Text size="sm">{body}</Text>
          {children}
          {failure && (
            <Alert color="red.9" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('admin.common.cancel')}
            </Button>
            <Button
              color={color ?? 'indigo'}
              loading={busy}
              onClick={() => void confirm()}
              data-testid={testId ? `${testId}-confirm` : undefined}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Offers text as a file download (problems CSV, a customer's export). */
export function downloadText(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
