import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { NotFoundError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { CareCaseSubjectRepository } from '../care-cases/care-case-subject.repository.js';
import { CompanyLinkSubjectRepository } from '../companies/company-link-subject.repository.js';
import { CustomerSubjectRepository } from '../customers/customer-subject.repository.js';
import { InteractionSubjectRepository } from '../interactions/interaction-subject.repository.js';
import { LeadSubjectRepository } from '../leads/lead-subject.repository.js';
import { OrderSubjectRepository } from '../orders/order-subject.repository.js';
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
    private readonly customers: CustomerSubjectRepository,
    private readonly companyLinks: CompanyLinkSubjectRepository,
    private readonly interactionRows: InteractionSubjectRepository,
    private readonly careCases: CareCaseSubjectRepository,
    private readonly orderRows: OrderSubjectRepository,
    private readonly leadRows: LeadSubjectRepository,
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
    const id = await this.customers.idOfExternal(externalId);
    if (id === undefined) throw new NotFoundError('Customer', `with external id ${externalId}`);
    return id;
  }

  /** Each section from the module that owns its table, all in the caller's snapshot (`manager`). */
  private async read(manager: EntityManager, id: string): Promise<CustomerExport> {
    const held = await this.customers.portable(manager, id);
    if (!held) throw new NotFoundError('Customer', id);
    const { customer, emails, phones } = held;
    const companies = await this.companyLinks.portableOfCustomer(manager, id);
    const interactions = await this.interactionRows.portableOfCustomer(manager, id);
    const careCases = await this.careCases.portableOfCustomer(manager, id);
    const orders = await this.orderRows.portableOfCustomer(manager, id);
    const lines = await this.orderRows.portableLinesOfCustomer(manager, id);
    const leads = await this.leadRows.portableOfCustomer(manager, id);

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
