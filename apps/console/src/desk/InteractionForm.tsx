import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InteractionChannel, InteractionDirection } from '../gql/graphql';
import { notifySaved } from '../lib/notify';
import { applyServerError } from '../lib/errors';
import { CreateInteraction } from './actions.queries';

const CHANNELS: InteractionChannel[] = ['PHONE', 'EMAIL', 'CHAT', 'IN_PERSON', 'WEB', 'SOCIAL', 'FAX'];
// The server's rules (CreateInteractionInput): subject ≤ 200, summary ≤ 10,000 characters.
const MAX_SUBJECT = 200;
const MAX_SUMMARY = 10_000;

export function InteractionForm({
  customerId,
  onDone,
}: {
  customerId: string;
  onDone: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const [create, { loading }] = useMutation(CreateInteraction);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      channel: 'PHONE' as InteractionChannel,
      direction: 'INBOUND' as InteractionDirection,
      subject: '',
      summary: '',
    },
    validate: {
      subject: (v) => (v.length > MAX_SUBJECT ? t('errors.maxLength', { max: MAX_SUBJECT }) : null),
      summary: (v) => (v.length > MAX_SUMMARY ? t('errors.maxLength', { max: MAX_SUMMARY }) : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      const result = await create({
        variables: {
          input: { customerId, ...values, subject: values.subject || null, summary: values.summary || null },
        },
      });
      notifySaved(t('interaction.saved'));
      form.reset();
      onDone(result.data!.createInteraction.id);
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, [
        'channel',
        'direction',
        'subject',
        'summary',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={t('interaction.record')} data-testid="interaction-form">
      <Stack>
        {failure && (
          <Alert color="red.9" role="alert">
            {failure}
          </Alert>
        )}
        <Group grow>
          <Select
            label={t('interaction.channel')}
            allowDeselect={false}
            data={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            {...form.getInputProps('channel')}
          />
          <Select
            label={t('interaction.direction')}
            allowDeselect={false}
            data={(['INBOUND', 'OUTBOUND'] as const).map((d) => ({ value: d, label: t(`direction.${d}`) }))}
            {...form.getInputProps('direction')}
          />
        </Group>
        <TextInput label={t('interaction.subject')} {...form.getInputProps('subject')} />
        <Textarea label={t('interaction.summary')} autosize minRows={2} {...form.getInputProps('summary')} />
        <Button type="submit" loading={loading} w="fit-content">
          {t('interaction.save')}
        </Button>
      </Stack>
    </form>
  );
}
