import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from './gql/graphql';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { ConfirmButton } from './Confirm';
import { AdminUsers, CreateUser, UpdateUser } from './queries';

const ROLES: Role[] = ['AGENT', 'MARKETER', 'COMPLIANCE', 'ADMIN'];
// The server's password policy: at least 12 characters (and not a common password).
const MIN_PASSWORD = 12;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A random password for an invitation, given to the person by the admin (they change it later). */
function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function RoleChecks({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group label={t('admin.users.roles')} value={value} onChange={onChange} error={error} required>
      <Group mt={4}>
        {ROLES.map((r) => (
          <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [create, { loading }] = useMutation(CreateUser);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { email: '', displayName: '', roles: ['AGENT'] as string[], password: '' },
    validate: {
      email: (v) => (EMAIL.test(v.trim()) ? null : t('admin.users.emailInvalid')),
      displayName: (v) => (v.trim() ? null : t('errors.required')),
      roles: (v) => (v.length ? null : t('admin.common.pickOne')),
      password: (v) =>
        v.length >= MIN_PASSWORD ? null : t('admin.users.passwordShort', { min: MIN_PASSWORD }),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await create({
        variables: {
          input: {
            email: values.email.trim(),
            displayName: values.displayName.trim(),
            roles: values.roles as Role[],
            password: values.password,
          },
        },
      });
      notifySaved(t('admin.users.created', { email: values.email.trim() }));
      form.reset();
      onDone();
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, [
        'email',
        'displayName',
        'roles',
        'password',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-label={t('admin.users.create')} data-testid="create-user">
        <Stack>
          <Title order={2} size="h4">
            {t('admin.users.create')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('admin.users.inviteHint')}
          </Text>
          {failure && (
            <Alert color="red.9" role="alert">
              {failure}
            </Alert>
          )}
          <Group grow align="flex-start">
            <TextInput label={t('admin.users.email')} required {...form.getInputProps('email')} />
            <TextInput label={t('admin.users.name')} required {...form.getInputProps('displayName')} />
          </Group>
          <RoleChecks
            value={form.values.roles}
            onChange={(v) => form.setFieldValue('roles', v)}
            error={form.errors['roles'] as string | undefined}
          />
          <Group align="flex-end">
            <PasswordInput
              label={t('admin.users.initialPassword')}
              description={t('admin.users.passwordRule', { min: MIN_PASSWORD })}
              required
              style={{ flex: 1 }}
              {...form.getInputProps('password')}
            />
            <Button variant="default" onClick={() => form.setFieldValue('password', generatePassword())}>
              {t('admin.users.generate')}
            </Button>
          </Group>
          <Button type="submit" loading={loading} w="fit-content">
            {t('admin.users.createSubmit')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

type UserRow = { id: string; email: string; displayName: string; roles: Role[]; active: boolean };

function EditRoles({ user }: { user: UserRow }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [error, setError] = useState<string | undefined>();
  const [update, { loading }] = useMutation(UpdateUser);
  const save = async () => {
    setError(undefined);
    if (!roles.length) return setError(t('admin.common.pickOne'));
    try {
      await update({ variables: { id: user.id, input: { roles: roles as Role[] } } });
      notifySaved(t('admin.users.rolesSaved'));
      setOpened(false);
    } catch (e) {
      const message = applyServerError(e, (_f, m) => setError(m), ['roles']);
      if (message) setError(message);
    }
  };
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpened(true)} data-testid="edit-roles">
        {t('admin.users.changeRoles')}
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('admin.users.rolesOf', { name: user.displayName })}
      >
        <Stack>
          <RoleChecks value={roles} onChange={setRoles} error={error} />
          <Button onClick={() => void save()} loading={loading} w="fit-content" data-testid="save-roles">
            {t('admin.common.save')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}

function ResetPassword({ user }: { user: UserRow }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [update, { loading }] = useMutation(UpdateUser);
  const save = async () => {
    setError(undefined);
    if (password.length < MIN_PASSWORD)
      return setError(t('admin.users.passwordShort', { min: MIN_PASSWORD }));
    try {
      await update({ variables: { id: user.id, input: { password } } });
      notifySaved(t('admin.users.passwordSaved'));
      setPassword('');
      setOpened(false);
    } catch (e) {
      const message = applyServerError(e, (_f, m) => setError(m), ['password']);
      if (message) setError(message);
    }
  };
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpened(true)}>
        {t('admin.users.resetPassword')}
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('admin.users.resetFor', { name: user.displayName })}
      >
        <Stack>
          <Group align="flex-end">
            <PasswordInput
              label={t('admin.users.newPassword')}
              description={t('admin.users.passwordRule', { min: MIN_PASSWORD })}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={error}
              style={{ flex: 1 }}
            />
            <Button variant="default" onClick={() => setPassword(generatePassword())}>
              {t('admin.users.generate')}
            </Button>
          </Group>
          <Button onClick={() => void save()} loading={loading} w="fit-content">
            {t('admin.common.save')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}

/** Users and roles: invite (create with a first password), change roles, disable or enable, reset a password. */
export default function Users() {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error, refetch } = useQuery(AdminUsers);
  const [update] = useMutation(UpdateUser);
  const me = data?.me.id;
  return (
    <Stack maw={1100}>
      <Title order={1}>{t('admin.users.title')}</Title>
      <Text c="dimmed">{t('admin.users.intro')}</Text>
      {error && <QueryError error={error} />}
      <Table striped withTableBorder data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.users.name')}</Table.Th>
            <Table.Th>{t('admin.users.email')}</Table.Th>
            <Table.Th>{t('admin.users.roles')}</Table.Th>
            <Table.Th>{t('admin.users.state')}</Table.Th>
            <Table.Th>{t('admin.users.since')}</Table.Th>
            <Table.Th>{t('admin.common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data?.users ?? []).map((u) => (
            <Table.Tr key={u.id} data-testid={`user-${u.email}`}>
              <Table.Td>{u.displayName}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {u.roles.map((r) => (
                    <Badge key={r} variant="light" tt="none">
                      {t(`roles.${r}`)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td miw={100}>
                <Badge color={u.active ? 'teal.9' : 'gray.7'} tt="none" data-testid="user-state">
                  {u.active ? t('admin.users.active') : t('admin.users.disabled')}
                </Badge>
              </Table.Td>
              <Table.Td>{f.date(u.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <EditRoles user={u} />
                  <ResetPassword user={u} />
                  {u.id !== me &&
                    (u.active ? (
                      <ConfirmButton
                        label={t('admin.users.disable')}
                        title={t('admin.users.disableTitle', { name: u.displayName })}
                        body={t('admin.users.disableBody')}
                        confirmLabel={t('admin.users.disable')}
                        color="red.9"
                        testId="disable-user"
                        onConfirm={async () => {
                          await update({ variables: { id: u.id, input: { active: false } } });
                          notifySaved(t('admin.users.disabledNow', { name: u.displayName }));
                        }}
                      />
                    ) : (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() =>
                          void update({ variables: { id: u.id, input: { active: true } } }).then(() =>
                            notifySaved(t('admin.users.enabledNow', { name: u.displayName })),
                          )
                        }
                      >
                        {t('admin.users.enable')}
                      </Button>
                    ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <CreateUserForm onDone={() => void refetch()} />
    </Stack>
  );
}
