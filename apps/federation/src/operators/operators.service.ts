import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { hashPassword, verifyPassword } from '#platform/auth/passwords';
import { checkPasswordPolicy } from '#platform/auth/password-policy';
import { ConflictError, NotFoundError, UnauthenticatedError } from '#platform/errors/app-errors';
import { Operator } from './operator.entity.js';
import { FederationRole } from './role.js';

const ACTIVE_CACHE_MS = 5000;

/** Operator accounts: password login (scrypt), roles, deactivation honoured by the guard. */
@Injectable()
export class OperatorsService {
  private readonly activeCache = new Map<string, { active: boolean; at: number }>();

  constructor(@InjectRepository(Operator) private readonly operators: Repository<Operator>) {}

  async get(id: string): Promise<Operator> {
    const operator = await this.operators.findOneBy({ id });
    if (!operator) throw new NotFoundError('Operator', id);
    return operator;
  }

  async create(input: {
    email: string;
    displayName: string;
    roles: FederationRole[];
    password: string;
  }): Promise<Operator> {
    checkPasswordPolicy(input.password);
    const taken = await this.operators
      .createQueryBuilder('o')
      .where('lower(o.email) = lower(:email)', input)
      .getExists();
    if (taken) throw new ConflictError('An operator with this e-mail already exists', { field: 'email' });
    const saved = await this.operators.save(
      this.operators.create({
        email: input.email.trim(),
        displayName: input.displayName.trim(),
        roles: input.roles,
        passwordHash: await hashPassword(input.password),
        active: true,
      }),
    );
    return this.get(saved.id);
  }

  /** The same error for a wrong e-mail and a wrong password, so e-mails cannot be probed. */
  async authenticate(email: string, password: string): Promise<Operator> {
    const operator = await this.operators
      .createQueryBuilder('o')
      .addSelect('o.passwordHash')
      .where('lower(o.email) = lower(:email)', { email })
      .getOne();
    const ok = operator
      ? await verifyPassword(password, operator.passwordHash)
      : await hashPassword(password).then(() => false);
    if (!operator || !ok || !operator.active) {
      throw new UnauthenticatedError('Wrong e-mail or password, or operator deactivated');
    }
    return operator;
  }

  async isActive(id: string): Promise<boolean> {
    const cached = this.activeCache.get(id);
    if (cached && Date.now() - cached.at < ACTIVE_CACHE_MS) return cached.active;
    const operator = await this.operators.findOne({ where: { id }, select: { id: true, active: true } });
    const active = operator?.active ?? false;
    this.activeCache.set(id, { active, at: Date.now() });
    return active;
  }

  /** Creates the first operator from OPERATOR_EMAIL / OPERATOR_PASSWORD when there is none. */
  async ensureOperator(email: string, password: string): Promise<Operator | undefined> {
    const exists = await this.operators
      .createQueryBuilder('o')
      .where(`'operator' = ANY(o.roles)`)
      .getExists();
    if (exists) return undefined;
    return this.create({
      email,
      password,
      displayName: 'Network operator',
      roles: [FederationRole.OPERATOR],
    });
  }
}
