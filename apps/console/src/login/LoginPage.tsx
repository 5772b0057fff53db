import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { session } from '../auth/session';
import { useSession } from '../auth/useSession';
import { LanguageSwitch } from '../shell/Shell';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Only same-site paths: `from` comes from the address bar. */
function safeTarget(from: string | null): string {
  return from && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login') ? from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const state = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const target = safeTarget(params.get('from'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) =>
        !v.trim() ? t('login.emailRequired') : EMAIL.test(v.trim()) ? null : t('login.emailInvalid'),
      password: (v) => (v ? null : t('login.passwordRequired')),
    },
  });
  if (state) return <Navigate to={target} replace />;

  const ended = session.endedBecause;
  const submit = form.onSubmit(async ({ email, password }) => {
    setBusy(true);
    setError(null);
    const failure = await session.login(email.trim(), password);
    setBusy(false);
    if (!failure) {
      void navigate(target, { replace: true });
      return;
    }
    if (failure.code === 'BAD_USER_INPUT' && (failure.field === 'email' || failure.field === 'password')) {
      form.setFieldError(failure.field, failure.message ?? '');
    } else if (failure.code === 'TOO_MANY_REQUESTS') {
      setError(t('login.throttled', { seconds: failure.retryAfterSeconds ?? 60 }));
    } else if (failure.code === 'NETWORK' || failure.code === 'UNAVAILABLE') {
      setError(t('login.network'));
    } else {
      setError(t('login.invalid'));
    }
  });

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form onSubmit={submit} noValidate aria-labelledby="login-title">
          <Stack>
            <Group justify="space-between" wrap="nowrap">
              <Title order={1} size="h3" id="login-title">
                {t('login.title')}
              </Title>
              <LanguageSwitch />
            </Group>
            {ended === 'idle' && <Alert color="yellow.9">{t('login.endedIdle')}</Alert>}
            {ended === 'expired' && <Alert color="yellow.9">{t('login.endedExpired')}</Alert>}
            {error && (
              <Alert color="red.9" role="alert" data-testid="login-error">
                {error}
              </Alert>
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={busy}>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
