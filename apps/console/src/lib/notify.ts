import { notifications } from '@mantine/notifications';
import { i18n } from '../i18n';

/** A short confirmation after a write (its close button named for screen readers). */
export function notifySaved(message: string): void {
  notifications.show({ message, color: 'teal.9', closeButtonProps: { 'aria-label': i18n.t('app.close') } });
}
