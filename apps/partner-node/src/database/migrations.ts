/**
 * Every migration of the partner node, in order. The schema changes only through these
 * (`synchronize` is never on). Add a module's migrations here when you create them.
 */
import { Extensions1700000000000 } from './migrations/1700000000000-extensions.js';
import { CreateUsers1700000000100 } from '../users/migrations/1700000000100-create-users.js';

export const PARTNER_NODE_MIGRATIONS = [Extensions1700000000000, CreateUsers1700000000100];
