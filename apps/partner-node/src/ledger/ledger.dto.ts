import { ArgsType } from '@nestjs/graphql';
import { PageArgs } from '#platform/graphql/connection';

/** PageArgs with the validation rules the edge pipe needs (it refuses undecorated properties). */
@ArgsType()
export class LedgerPageArgs extends PageArgs {}
