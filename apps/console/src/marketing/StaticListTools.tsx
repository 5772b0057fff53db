import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Button,
  FileInput,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { notifySaved } from '../lib/notify';
import { AddSegmentMembers, ImportSegmentMembers, SearchForList } from './queries';

/** A static list's tools: add customers found by search, or a CSV of external ids (all or nothing). */
export function StaticListTools({ segmentId }: { segmentId: string }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const found = useQuery(SearchForList, { variables: { query: debounced }, skip: debounced.length < 2 });
  const [add, adding] = useMutation(AddSegmentMembers, { refetchQueries: ['SegmentDetail'] });
  const [upload, uploading] = useMutation(ImportSegmentMembers, { refetchQueries: ['SegmentDetail'] });
  const [file, setFile] = useState<File | null>(null);
  const [lineErrors, setLineErrors] = useState<{ line: number; message: string }[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const addOne = async (customerId: string, name: string) => {
    setFailure(null);
    try {
      await add({ variables: { input: { segmentId, customerIds: [customerId] } } });
      notifySaved(t('marketing.list.added', { name }));
    } catch (error) {
      setFailure(describeError(error).message);
    }
  };

  const importCsv = async () => {
    if (!file) return;
    setFailure(null);
    setLineErrors([]);
    try {
      const csv = await file.text();
      const result = await upload({ variables: { input: { segmentId, csv } } });
      const outcome = result.data!.importSegmentMembers;
      if (outcome.errors.length) setLineErrors(outcome.errors);
      else notifySaved(t('marketing.list.imported', { count: outcome.added }));
    } catch (error) {
      setFailure(describeError(error).message);
    }
  };

  return (
    <Stack>
      <Title order={2}>{t('marketing.list.title')}</Title>
      {failure && (
        <Alert color="red.9" role="alert">
          {failure}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="sm">
          <TextInput
            label={t('marketing.list.search')}
            description={t('marketing.list.searchHint')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-testid="list-search"
          />
          <Stack gap={4} mt="xs" aria-live="polite">
            {(found.data?.searchCustomers ?? []).map((c) => (
              <Group key={c.id} justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {c.displayName} {c.externalId ? `(${c.externalId})` : ''}
                </Text>
                <Button
                  size="xs"
                  variant="light"
                  loading={adding.loading}
                  onClick={() => void addOne(c.id, c.displayName)}
                  aria-label={t('marketing.list.addNamed', { name: c.displayName })}
                >
                  {t('marketing.list.add')}
                </Button>
              </Group>
            ))}
          </Stack>
        </Paper>
        <Paper withBorder p="sm">
          <FileInput
            label={t('marketing.list.csv')}
            description={t('marketing.list.csvHint')}
            accept=".csv,text/csv,text/plain"
            value={file}
            onChange={setFile}
            clearable
            data-testid="list-csv"
          />
          <Button
            mt="sm"
            disabled={!file}
            loading={uploading.loading}
            onClick={() => void importCsv()}
            data-testid="list-import"
          >
            {t('marketing.list.import')}
          </Button>
          {lineErrors.length > 0 && (
            <Alert
              color="red.9"
              mt="sm"
              role="alert"
              title={t('marketing.list.refusedLines', { count: lineErrors.length })}
              data-testid="csv-errors"
            >
              <List size="sm">
                {lineErrors.slice(0, 50).map((e) => (
                  <List.Item key={e.line}>
                    {t('marketing.list.lineError', { line: e.line, message: e.message })}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
