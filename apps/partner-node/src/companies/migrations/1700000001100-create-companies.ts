import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Companies (accounts) and the links of customers to them, each with a role. */
export class CreateCompanies1700000001100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE company (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        domain text CHECK (domain = lower(domain) AND char_length(domain) <= 253),
        vat_number text CHECK (vat_number ~ '^[A-Z]{2}[A-Z0-9]{2,13}$'),
        industry text CHECK (char_length(industry) <= 100),
        size_band text CHECK (size_band IN ('size_1_10','size_11_50','size_51_200','size_201_1000','size_1001_plus')),
        external_id text CHECK (char_length(external_id) BETWEEN 1 AND 200),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX company_external_id_key ON company (external_id) WHERE external_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX company_name_idx ON company (name, id)`);
    await q.query(`CREATE INDEX company_created_at_idx ON company (created_at, id)`);
    await q.query(`CREATE INDEX company_name_trgm ON company USING gin (lower(name) gin_trgm_ops)`);
    await q.query(`CREATE INDEX company_domain_idx ON company (domain)`);

    await q.query(`
      CREATE TABLE customer_company (
        customer_id uuid NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
        company_id uuid NOT NULL REFERENCES company(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (char_length(role) BETWEEN 1 AND 100),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, company_id)
      )`);
    await q.query(`CREATE INDEX customer_company_company_idx ON customer_company (company_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_company`);
    await q.query(`DROP TABLE company`);
  }
}
