import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns target a segment on one channel over a period [starts_at, ends_at). At launch the
 * segment's members are copied into campaign_audience (the snapshot the results are measured
 * on); responses and conversions are one row per (campaign, customer), written idempotently.
 */
export class CreateCampaigns1700000006100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        description text CHECK (char_length(description) <= 2000),
        segment_id uuid NOT NULL REFERENCES segment(id) ON DELETE RESTRICT,
        channel text NOT NULL CHECK (channel IN ('email','sms','phone','mail','social','in_store')),
        starts_at timestamptz(3) NOT NULL,
        ends_at timestamptz(3) NOT NULL,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','launched')),
        launched_at timestamptz(3),
        audience_size int CHECK (audience_size >= 0),
        created_by uuid REFERENCES app_user(id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT campaign_period CHECK (ends_at > starts_at),
        CONSTRAINT campaign_launch CHECK ((status = 'launched') = (launched_at IS NOT NULL AND audience_size IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX campaign_segment_idx ON campaign (segment_id)`);
    await q.query(`CREATE INDEX campaign_created_at_idx ON campaign (created_at, id)`);
    await q.query(`CREATE INDEX campaign_created_by_idx ON campaign (created_by)`);

    await q.query(`
      CREATE TABLE campaign_audience (
        campaign_id uuid NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
        PRIMARY KEY (campaign_id, customer_id)
      )`);
    await q.query(`CREATE INDEX campaign_audience_customer_idx ON campaign_audience (customer_id)`);

    await q.query(`
      CREATE TABLE campaign_response (
        campaign_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        responded_at timestamptz(3) NOT NULL,
        converted_at timestamptz(3),
        PRIMARY KEY (campaign_id, customer_id),
        FOREIGN KEY (campaign_id, customer_id) REFERENCES campaign_audience (campaign_id, customer_id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE campaign_response`);
    await q.query(`DROP TABLE campaign_audience`);
    await q.query(`DROP TABLE campaign`);
  }
}
