import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { session } from '../auth/session';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

/**
 * Tracks what the user does (renewal before expiry depends on it) and, before the idle timeout,
 * warns with a countdown; at the timeout it signs out (the server ends the session too).
 */
export function IdleWarning({ idleTimeoutSeconds }: { idleTimeoutSeconds: number }) {
  const { t } = useTranslation();
  const [remaining, setRemaining] = useState<number | null>(null);
  const warnMs = Math.min(60_000, (idleTimeoutSeconds * 1000) / 4);

  useEffect(() => {
    const onActivity = () => session.noteActivity();
    for (const event of ACTIVITY_EVENTS)
      window.addEventListener(event, onActivity, { passive: true, capture: true });
    const timer = setInterval(() => {
      const left = session.lastActivity + idleTimeoutSeconds * 1000 - Date.now();
      if (left <= 0) {
        clearInterval(timer);
        void session.logout('idle');
      } else setRemaining(left <= warnMs ? left : null);
    }, 1000);
    return () => {
      clearInterval(timer);
      for (const event of ACTIVITY_EVENTS) window.removeEventListener(event, onActivity, { capture: true });
    };
  }, [idleTimeoutSeconds, warnMs]);

  return (
    <Modal
      opened={remaining !== null}
      onClose={() => {
        session.noteActivity();
        void session.renew();
      }}
      title={t('session.idleTitle')}
      data-testid="idle-warning"
    >
      <Text>{t('session.idleBody', { seconds: Math.ceil((remaining ?? 0) / 1000) })}</Text>
      <Group mt="md" justify="flex-end">
        <Button variant="default" onClick={() => void session.logout('user')}>
          {t('session.signOutNow')}
        </Button>
        <Button
          onClick={() => {
            session.noteActivity();
            setRemaining(null);
            void session.renew();
          }}
        >
          {t('session.stay')}
        </Button>
      </Group>
    </Modal>
  );
}
