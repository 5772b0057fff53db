import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CareCasePriority } from '../gql/graphql';
import { notifySaved } from '../lib/notify';
import { applyServerError } from '../lib/errors';
import { CreateCareCase } from './actions.queries';

// The server's rules (CreateCareCaseInput): subject 1–200 (trimmed), description ≤ 10,000, category ≤ 100.
const MAX_SUBJECT = 200;
const MAX_DESCRIPTION = 10_000;
const MAX_CATEGORY = 100;
const PRIORITIES: CareCasePriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];

export function CareCaseForm({ customerId, onDone }: { customerId: string; onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const [create, { loading }] = useMutation(CreateCareCase);
  const form = useForm({
    mode: 'controlled',
    initialValues: { subject: '', description: '', category: '', priority: 'NORMAL' as CareCasePriority },
    validate: {
      subject: (v) =>
        !v.trim()
          ? t('errors.required')
          : v.trim().length > MAX_SUBJECT
            ? t('errors.maxLength', { max: MAX_SUBJECT })
            : null,
      description: (v) =>
        v.length > MAX_DESCRIPTION ? t('errors.maxLength', { max: MAX_DESCRIPTION }) : null,
      category: (v) => (v.length > MAX_CATEGORY ? t('errors.maxLength', { max: MAX_CATEGORY }) : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      const result = await create({
        variables: {
          input: {
            customerId,
            subject: values.subject,
            priority: values.priority,
            description: values.description || null,
            category: values.category || null,
          },
        },
      });
      notifySaved(t('careCase.saved'));
      form.reset();
      onDone(result.data!.createCareCase.id);
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, [
        'subject',
        'description',
        'category',
        'priority',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={t('careCase.open')} data-testid="care-case-form">
      <Stack>
        {failure && (
          <Alert color="red.9" role="alert">
            {failure}
          </Alert>
        )}
        <TextInput label={t('careCase.subject')} required {...form.getInputProps('subject')} />
        <Group grow>
          <TextInput label={t('careCase.category')} {...form.getInputProps('category')} />
          <Select
            label={t('careCase.priority')}
            allowDeselect={false}
            data={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            {...form.getInputProps('priority')}
          />
        </Group>
        <Textarea
          label={t('careCase.description')}
          autosize
          minRows={2}
          {...form.getInputProps('description')}
        />
        <Button type="submit" loading={loading} w="fit-content">
          {t('careCase.save')}
        </Button>
      </Stack>
    </form>
  );
}
