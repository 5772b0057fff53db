import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Loader, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { SegmentDetailQuery } from './gql/graphql';
import { applyServerError, describeError, QueryError } from '../lib/errors';
import { notifySaved } from '../lib/notify';
import { CreateSegment, SegmentDetail, UpdateSegment } from './queries';
import { fromRule, newGroup, toRule, type GroupDraft } from './rule/model';
import { RuleWithPreview } from './rule/RuleWithPreview';

/** A new segment (rule or static list), or a segment's rule and name edited. */
export default function SegmentEditorPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { data, error } = useQuery(SegmentDetail, { variables: { id: id ?? '' }, skip: !id });
  if (id && error) return <QueryError error={error} />;
  if (id && !data) return <Loader aria-label={t('marketing.loading')} />;
  return <SegmentEditor segment={data?.segment ?? null} />;
}

type Existing = SegmentDetailQuery['segment'];

function SegmentEditor({ segment }: { segment: Existing | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const kind = segment?.kind ?? (params.get('kind') === 'STATIC' ? 'STATIC' : 'RULE');
  const [draft, setDraft] = useState<GroupDraft>(() => (segment?.rule ? fromRule(segment.rule) : newGroup()));
  const [failure, setFailure] = useState<string | null>(null);
  const [ruleRefusal, setRuleRefusal] = useState<{ field: string; message: string } | null>(null);
  const [create, created] = useMutation(CreateSegment);
  const [update, updated] = useMutation(UpdateSegment);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: segment?.name ?? '',
      description: segment?.description ?? '',
      refreshEveryMinutes: segment?.refreshEveryMinutes ? String(segment.refreshEveryMinutes) : '',
    },
    validate: {
      name: (v) =>
        !v.trim() ? t('errors.required') : v.trim().length > 200 ? t('errors.maxLength', { max: 200 }) : null,
      refreshEveryMinutes: (v) =>
        v && !(Number.isInteger(Number(v)) && Number(v) >= 5 && Number(v) <= 10080)
          ? t('marketing.segments.refreshRange')
          : null,
    },
  });
  useEffect(() => setRuleRefusal(null), [draft]);

  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    setRuleRefusal(null);
    const rule = kind === 'RULE' ? toRule(draft).rule : undefined;
    const every = values.refreshEveryMinutes ? Number(values.refreshEveryMinutes) : undefined;
    try {
      let savedId: string;
      if (segment) {
        const result = await update({
          variables: {
            id: segment.id,
            input: {
              name: values.name,
              description: values.description || null,
              ...(rule ? { rule } : {}),
              ...(kind === 'RULE' ? { refreshEveryMinutes: every ?? 0 } : {}),
            },
          },
        });
        savedId = result.data!.updateSegment.id;
      } else {
        const result = await create({
          variables: {
            input: {
              name: values.name,
              description: values.description || null,
              kind,
              ...(rule ? { rule } : {}),
              ...(every ? { refreshEveryMinutes: every } : {}),
            },
          },
        });
        savedId = result.data!.createSegment.id;
      }
      notifySaved(t('marketing.segments.saved'));
      void navigate(`/marketing/segments/${savedId}`);
    } catch (error) {
      const info = describeError(error);
      if (info.code === 'BAD_USER_INPUT' && info.field?.replace(/^input\./, '').startsWith('rule')) {
        setRuleRefusal({ field: info.field.replace(/^input\./, ''), message: info.message });
        return;
      }
      const message = applyServerError(error, form.setFieldError, [
        'name',
        'description',
        'refreshEveryMinutes',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });

  return (
    <form onSubmit={submit} noValidate data-testid="segment-form">
      <Stack maw={1100}>
        <Title order={1}>
          {segment
            ? t('marketing.segments.editTitle', { name: segment.name })
            : kind === 'STATIC'
              ? t('marketing.segments.newStatic')
              : t('marketing.segments.newRule')}
        </Title>
        {failure && (
          <Alert color="red.9" role="alert">
            {failure}
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput label={t('marketing.segments.name')} required {...form.getInputProps('name')} />
          {kind === 'RULE' && (
            <TextInput
              label={t('marketing.segments.refreshEvery')}
              inputMode="numeric"
              {...form.getInputProps('refreshEveryMinutes')}
            />
          )}
        </Group>
        <Textarea
          label={t('marketing.segments.description')}
          autosize
          minRows={1}
          {...form.getInputProps('description')}
        />
        {kind === 'RULE' && <RuleWithPreview draft={draft} onChange={setDraft} serverRefusal={ruleRefusal} />}
        <Group>
          <Button type="submit" loading={created.loading || updated.loading} data-testid="save-segment">
            {t('marketing.segments.save')}
          </Button>
          <Button variant="subtle" onClick={() => void navigate(-1)}>
            {t('marketing.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
