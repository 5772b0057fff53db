import { CombinedGraphQLErrors } from '@apollo/client';
import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RoleNeeded } from '../shell/Forbidden';

/**
 * The first GraphQL error's code, message, field (BAD_USER_INPUT), allowed roles (FORBIDDEN), and the
 * machine-readable reason and retry delay some errors carry (REASON_STALE, RATE_LIMITED_AGENT…).
 */
export function describeError(error: unknown): {
  code: string;
  message: string;
  field?: string;
  allowedRoles?: string[];
  reason?: string;
  retryAfterSeconds?: number;
} {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const ext = (first?.extensions ?? {}) as Record<string, unknown>;
    return {
      code: typeof ext['code'] === 'string' ? ext['code'] : 'ERROR',
      message: first?.message ?? error.message,
      field: typeof ext['field'] === 'string' ? ext['field'] : undefined,
      allowedRoles: Array.isArray(ext['allowedRoles']) ? (ext['allowedRoles'] as string[]) : undefined,
      reason: typeof ext['reason'] === 'string' ? ext['reason'] : undefined,
      retryAfterSeconds: typeof ext['retryAfterSeconds'] === 'number' ? ext['retryAfterSeconds'] : undefined,
    };
  }
  return { code: 'NETWORK', message: error instanceof Error ? error.message : String(error) };
}

/** How a failed read shows: the role-needed notice for FORBIDDEN, else the server's message. */
export function QueryError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const info = describeError(error);
  if (info.code === 'FORBIDDEN') return <RoleNeeded roles={info.allowedRoles ?? []} />;
  return (
    <Alert color="red.9" role="alert">
      {t('errors.generic', { message: info.message })}
    </Alert>
  );
}

/**
 * After a failed write: the server's message for its field goes next to that field (form.setFieldError);
 * anything else is returned for a form-level alert. The form keeps what was typed either way.
 */
export function applyServerError(
  error: unknown,
  setFieldError: (field: string, message: string) => void,
  fields: readonly string[],
): string | null {
  const info = describeError(error);
  if (info.code === 'BAD_USER_INPUT' && info.field) {
    const field = info.field.replace(/^input\./, '');
    if (fields.includes(field)) {
      setFieldError(field, info.message);
      return null;
    }
  }
  return info.message;
}
