import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leads. A converted lead always names its customer and conversion time (CHECK). Indexes: the
 * lists' sort keys, owner, customer, and the open leads by score.
 */
export class CreateLeads1700000002300 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lead (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        first_name text NOT NULL CHECK (char_length(first_name) BETWEEN 1 AND 200),
        last_name text NOT NULL CHECK (char_length(last_name) BETWEEN 1 AND 200),
        email text CHECK (email = lower(btrim(email)) AND char_length(email) BETWEEN 3 AND 254),
        phone text CHECK (phone ~ '^\\+[1-9][0-9]{7,14}$'),
        company_name text CHECK (char_length(company_name) BETWEEN 1 AND 200),
        source text NOT NULL
          CHECK (source IN ('campaign','web_form','referral','telemarketing','event','partner','other')),
        status text NOT NULL DEFAULT 'new'
          CHECK (status IN ('new','contacted','qualified','disqualified','converted')),
        score smallint NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
        campaign_ref text CHECK (char_length(campaign_ref) BETWEEN 1 AND 200),
        owner_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        customer_id uuid REFERENCES customer(id),
        converted_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT lead_conversion CHECK (
          (status = 'converted') = (customer_id IS NOT NULL AND converted_at IS NOT NULL)
        )
      )`);
    await q.query(`CREATE INDEX lead_created_at_idx ON lead (created_at, id)`);
    await q.query(`CREATE INDEX lead_updated_at_idx ON lead (updated_at, id)`);
    await q.query(`CREATE INDEX lead_score_idx ON lead (score, id)`);
    await q.query(`CREATE INDEX lead_status_idx ON lead (status)`);
    await q.query(`CREATE INDEX lead_owner_idx ON lead (owner_id)`);
    await q.query(`CREATE INDEX lead_customer_idx ON lead (customer_id)`);
    await q.query(`CREATE INDEX lead_campaign_ref_idx ON lead (campaign_ref)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lead`);
  }
}
