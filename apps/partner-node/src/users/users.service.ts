import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConflictError, NotFoundError } from '#platform/errors/app-errors';
import { LoginThrottle } from '#platform/auth/login-throttle';
import { checkPasswordLogin } from '#platform/auth/password-login';
import { hashPassword } from '#platform/auth/passwords';
import { checkPasswordPolicy } from '#platform/auth/password-policy';
import { User } from './user.entity.js';
import type { Role } from './role.js';
import type { CreateUserInput, UpdateUserInput } from './users.dto.js';

/** How long a user's roles and "active" flag are trusted by the guard before they are read again. */
const ROLES_CACHE_MS = 2000;

@Injectable()
export class UsersService {
  private readonly rolesCache = new Map<string, { roles: Role[] | undefined; at: number }>();
  /** Failed logins by account and client address (GraphQL `login` and the console's /auth/login). */
  private readonly throttle = new LoginThrottle();

  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  list(): Promise<User[]> {
    return this.users.find({ order: { email: 'ASC' } });
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.users.createQueryBuilder('u').where('u.id = ANY(:ids)', { ids }).getMany();
  }

  async create(input: CreateUserInput): Promise<User> {
    checkPasswordPolicy(input.password);
    const taken = await this.users
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', input)
      .getExists();
    if (taken) throw new ConflictError(`A user with this e-mail already exists`, { field: 'email' });
    const user = this.users.create({
      email: input.email.trim(),
      displayName: input.displayName.trim(),
      roles: input.roles,
      passwordHash: await hashPassword(input.password),
      active: true,
    });
    const saved = await this.users.save(user);
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateUserInput): Promise<User> {
    if (input.password) checkPasswordPolicy(input.password);
    const user = await this.get(id);
    if (input.roles) user.roles = input.roles;
    if (input.displayName !== undefined) user.displayName = input.displayName.trim();
    if (input.active !== undefined) user.active = input.active;
    const patch: Partial<User> = { roles: user.roles, displayName: user.displayName, active: user.active };
    if (input.password) patch.passwordHash = await hashPassword(input.password);
    await this.users.update({ id }, patch);
    this.rolesCache.delete(id);
    return this.get(id);
  }

  /**
   * Checks e-mail and password; the same error for both so that e-mails cannot be probed. Failed
   * attempts are throttled per account and client address (TOO_MANY_REQUESTS with retryAfterSeconds).
   */
  async authenticate(email: string, password: string, clientAddress: string): Promise<User> {
    return checkPasswordLogin(
      this.throttle,
      { email, password, clientAddress },
      () =>
        this.users
          .createQueryBuilder('u')
          .addSelect('u.passwordHash')
          .where('lower(u.email) = lower(:email)', { email })
          .getOne(),
      'Wrong e-mail or password, or user deactivated',
    );
  }

  /** The user, read now, if still active (the console's session refresh). */
  async findActive(id: string): Promise<User | undefined> {
    const user = await this.users.findOneBy({ id, active: true });
    return user ?? undefined;
  }

  /** The user's current roles for the guard, or undefined when deactivated or gone. */
  async currentRoles(id: string): Promise<Role[] | undefined> {
    const cached = this.rolesCache.get(id);
    if (cached && Date.now() - cached.at < ROLES_CACHE_MS) return cached.roles;
    // Tagged so that query counts (e.g. the DataLoader tests) can tell the guard's own read apart.
    const user = await this.users
      .createQueryBuilder('u')
      .select(['u.id', 'u.active', 'u.roles'])
      .where('u.id = :id', { id })
      .comment('roles guard: current roles')
      .getOne();
    const roles = user?.active ? user.roles : undefined;
    this.rolesCache.set(id, { roles, at: Date.now() });
    return roles;
  }

  /** Creates the first admin from the environment when the node has no admin yet. */
  async ensureAdmin(email: string, password: string): Promise<User | undefined> {
    const hasAdmin = await this.users.createQueryBuilder('u').where(`'admin' = ANY(u.roles)`).getExists();
    if (hasAdmin) return undefined;
    return this.create({ email, password, displayName: 'Administrator', roles: ['admin' as Role] });
  }
}
