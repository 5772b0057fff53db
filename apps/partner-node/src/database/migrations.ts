/**
 * Every migration of the partner node, in order. The schema changes only through these
 * (`synchronize` is never on). Add a module's migrations here when you create them.
 */
import { Extensions1700000000000 } from './migrations/1700000000000-extensions.js';
import { CreateUsers1700000000100 } from '../users/migrations/1700000000100-create-users.js';
import { CreateCustomers1700000001000 } from '../customers/migrations/1700000001000-create-customers.js';
import { CreateCompanies1700000001100 } from '../companies/migrations/1700000001100-create-companies.js';
import { CreateCareCases1700000002000 } from '../care-cases/migrations/1700000002000-create-care-cases.js';
import { CreateInteractions1700000002100 } from '../interactions/migrations/1700000002100-create-interactions.js';
import { CreateOrders1700000002200 } from '../orders/migrations/1700000002200-create-orders.js';
import { CreateLeads1700000002300 } from '../leads/migrations/1700000002300-create-leads.js';

export const PARTNER_NODE_MIGRATIONS = [
  Extensions1700000000000,
  CreateUsers1700000000100,
  CreateCustomers1700000001000,
  CreateCompanies1700000001100,
  CreateCareCases1700000002000,
  CreateInteractions1700000002100,
  CreateOrders1700000002200,
  CreateLeads1700000002300,
];
