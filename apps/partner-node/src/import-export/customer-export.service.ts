import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { isUuid } from '#platform/validation/ids';

export const EXPORT_FORMAT = 'concordia.customer-export/1';

/** Columns computed by the database from others (search keys, sort keys): not data held. */
const GENERATED = new Set(['search_text', 'name_tokens', 'priority_rank']);

type Row = Record<string, unknown>;

const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** snake_case columns → camelCase keys; generated columns dropped; dates as ISO 8601 text. */
function clean(row: Row, drop: readonly string[] = []): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (GENERATED.has(key) || drop.includes(key)) continue;
    out[camel(key)] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

export interface CustomerExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  /** The partner node that holds this data (the controller). */
  partnerId: string;
  customer: Row;
  emails: Row[];
  phones: Row[];
  companies: Row[];
  interactions: Row[];
  careCases: Row[];
  orders: Row[];
  leads: Row[];
}

/**
 * Everything this node holds about one customer, as one JSON document (right to data
 * portability, GDPR Art. 20, and access requests, Art. 15): profile, e-mails, phones, companies,
 * interactions, care cases with their feedback, orders with their lines, and the leads converted
 * into the customer. Read in one REPEATABLE READ transaction, so the sections are consistent.
 * Money stays decimal text ("19.90"), times are ISO 8601 UTC.
 */
@Injectable()
export class CustomerExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
  ) {}

  async export(customerId: string): Promise<CustomerExport> {
    if (!isUuid(customerId)) throw new NotFoundError('Customer', customerId);
    const document = await this.dataSource.transaction('REPEATABLE READ', (manager) =>
      this.read(manager, customerId),
    );
    getLogger().info({ customerId }, 'customer data exported');
    return document;
  }

  /** The id of the customer with this external id (also soft-deleted ones), for the CLI. */
  async idOfExternal(externalId: string): Promise<string> {
    const rows = (await this.dataSource.query(`SELECT id FROM customer WHERE external_id = $1`, [
      externalId,
    ])) as {
      id: string;
    }[];
    if (rows.length === 0) throw new NotFoundError('Customer', `with external id ${externalId}`);
    return rows[0].id;
  }

  private async read(manager: EntityManager, id: string): Promise<CustomerExport> {
    const query = (sql: string) => manager.query(sql, [id]) as Promise<Row[]>;
    const [customer] = await query(`SELECT * FROM customer WHERE id = $1`);
    if (!customer) throw new NotFoundError('Customer', id);
    const emails = await query(
      `SELECT * FROM customer_email WHERE customer_id = $1 ORDER BY is_primary DESC, created_at, id`,
    );
    const phones = await query(
      `SELECT * FROM customer_phone WHERE customer_id = $1 ORDER BY is_primary DESC, created_at, id`,
    );
    const companies = await query(
      `SELECT co.*, cc.role AS link_role, cc.created_at AS link_created_at
         FROM customer_company cc JOIN company co ON co.id = cc.company_id
        WHERE cc.customer_id = $1 ORDER BY cc.created_at, co.id`,
    );
    const interactions = await query(
      `SELECT * FROM interaction WHERE customer_id = $1 ORDER BY occurred_at, id`,
    );
    const careCases = await query(`SELECT * FROM care_case WHERE customer_id = $1 ORDER BY opened_at, id`);
    const orders = await query(`SELECT * FROM customer_order WHERE customer_id = $1 ORDER BY ordered_at, id`);
    const lines = await query(
      `SELECT ol.* FROM order_line ol JOIN customer_order o ON o.id = ol.order_id
        WHERE o.customer_id = $1 ORDER BY ol.order_id, ol.position`,
    );
    const leads = await query(`SELECT * FROM lead WHERE customer_id = $1 ORDER BY created_at, id`);

    const linesByOrder = new Map<unknown, Row[]>();
    for (const line of lines) {
      const list = linesByOrder.get(line.order_id) ?? [];
      list.push(clean(line, ['order_id']));
      linesByOrder.set(line.order_id, list);
    }
    return {
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      partnerId: this.config.partnerId,
      customer: clean(customer),
      emails: emails.map((r) => clean(r, ['customer_id'])),
      phones: phones.map((r) => clean(r, ['customer_id'])),
      companies: companies.map((r) => {
        const link = clean({ role: r.link_role, linked_at: r.link_created_at });
        return { ...link, company: clean(r, ['link_role', 'link_created_at']) };
      }),
      interactions: interactions.map((r) => clean(r, ['customer_id'])),
      careCases: careCases.map((r) => clean(r, ['customer_id'])),
      orders: orders.map((r) => ({ ...clean(r, ['customer_id']), lines: linesByOrder.get(r.id) ?? [] })),
      leads: leads.map((r) => clean(r, ['customer_id'])),
    };
  }
}
