import { Alert, Button, Stack, Title, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** Says which role a screen or an action needs (FORBIDDEN's extensions.allowedRoles, or the route's roles). */
export function RoleNeeded({ roles }: { roles: readonly string[] }) {
  const { t } = useTranslation();
  const names = roles.map((role) => t(`roles.${role.toUpperCase()}`, { defaultValue: role })).join(', ');
  return (
    <Alert color="orange.9" title={t('errors.forbiddenTitle')} role="alert" data-testid="role-needed">
      {t('errors.forbiddenBody', { roles: names })}
    </Alert>
  );
}

export function ForbiddenPage({ roles }: { roles: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <Stack maw={640}>
      <RoleNeeded roles={roles} />
      <Button component={Link} to="/" variant="light" w="fit-content">
        {t('errors.back')}
      </Button>
    </Stack>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={640}>
      <Title order={1}>{t('errors.notFoundTitle')}</Title>
      <Text>{t('errors.notFoundBody')}</Text>
      <Button component={Link} to="/" variant="light" w="fit-content">
        {t('errors.back')}
      </Button>
    </Stack>
  );
}
