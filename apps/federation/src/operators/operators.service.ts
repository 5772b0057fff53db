import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { LoginThrottle } from '#platform/auth/login-throttle';
import { checkPasswordLogin } from '#platform/auth/password-login';
import { hashPassword } from '#platform/auth/passwords';
import { checkPasswordPolicy } from '#platform/auth/password-policy';
import { ConflictError, NotFoundError } from '#platform/errors/app-errors';
import { Operator } from './operator.entity.js';
import { FederationRole } from './role.js';

/** How long an operator's roles and "active" flag are trusted by the guard before they are read again. */
const ROLES_CACHE_MS = 2000;

/** Operator accounts: password login (scrypt, throttled), roles and deactivation read by the guard. */
@Injectable()
export class OperatorsService {
  private readonly rolesCache = new Map<string, { roles: FederationRole[] | undefined; at: number }>();
  /** Failed logins by account and client address. */
  private readonly throttle = new LoginThrottle();

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

  /**
   * The same error for a wrong e-mail and a wrong password, so e-mails cannot be probed. Failed
   * attempts are throttled per account and client address (TOO_MANY_REQUESTS with retryAfterSeconds).
   */
  async authenticate(email: string, password: string, clientAddress: string): Promise<Operator> {
    return checkPasswordLogin(
      this.throttle,
      { email, password, clientAddress },
      () =>
        this.operators
          .createQueryBuilder('o')
          .addSelect('o.passwordHash')
          .where('lower(o.email) = lower(:email)', { email })
          .getOne(),
      'Wrong e-mail or password, or operator deactivated',
    );
  }

  /** The operator, read now, if still active (the console's session refresh). */
  async findActive(id: string): Promise<Operator | undefined> {
    return (await this.operators.findOneBy({ id, active: true })) ?? undefined;
  }

  /** The operator's current roles for the guard, or undefined when deactivated or gone. */
  async currentRoles(id: string): Promise<FederationRole[] | undefined> {
    const cached = this.rolesCache.get(id);
    if (cached && Date.now() - cached.at < ROLES_CACHE_MS) return cached.roles;
    const operator = await this.operators.findOne({
      where: { id },
      select: { id: true, active: true, roles: true },
    });
    const roles = operator?.active ? operator.roles : undefined;
    this.rolesCache.set(id, { roles, at: Date.now() });
    return roles;
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
