import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SessionEndReason = 'LOGOUT' | 'IDLE_TIMEOUT' | 'SESSION_EXPIRED' | 'USER_DISABLED';

/**
 * One sign-in to the web console; the cookie holds the session id, this row only its hash. The same
 * table in each service that serves the console (a node: `app_user`; the federation: `operator_user`),
 * each created by that service's own migration.
 */
@Entity('console_session')
export class ConsoleSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('bytea')
  sessionIdHash: Buffer;

  @Column('uuid')
  userId: string;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  lastActivityAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  endedAt: Date | null;

  @Column('text', { nullable: true })
  endReason: SessionEndReason | null;
}
