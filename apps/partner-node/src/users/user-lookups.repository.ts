import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { USER_LOOKUP_QUERIES } from './user-lookups.queries.js';

/**
 * Users found by what other modules know of them (the demo's seed: its agent by e-mail): the
 * statements are in user-lookups.queries.ts and, generated, in queries/users.sql.
 */
@Injectable()
export class UserLookupsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The id of the user with exactly this e-mail; undefined when there is none. */
  async idByEmail(email: string): Promise<string | undefined> {
    const [row] = await runNamed<{ id: string }, 'idByEmail'>(
      this.dataSource,
      USER_LOOKUP_QUERIES,
      'idByEmail',
      [email],
    );
    return row?.id;
  }
}
