import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConflictError, NotFoundError, UnauthenticatedError } from '#platform/errors/app-errors';
import { hashPassword, verifyPassword } from '#platform/auth/passwords';
import { checkPasswordPolicy } from '#platform/auth/password-policy';
import { User } from './user.entity.js';
import type { Role } from './role.js';
import type { CreateUserInput, UpdateUserInput } from './users.dto.js';

/** How long a user's "active" flag is trusted by the guard before it is read again. */
const ACTIVE_CACHE_MS = 5000;

@Injectable()
export class UsersService {
  private readonly activeCache = new Map<string, { active: boolean; at: number }>();

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
    this.activeCache.delete(id);
    return this.get(id);
  }

  /** Checks e-mail and password; the same error for both so that e-mails cannot be probed. */
  async authenticate(email: string, password: string): Promise<User> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
    const ok = user
      ? await verifyPassword(password, user.passwordHash)
      : await hashPassword(password).then(() => false);
    if (!user || !ok || !user.active)
      throw new UnauthenticatedError('Wrong e-mail or password, or user deactivated');
    return user;
  }

  async isActive(id: string): Promise<boolean> {
    const cached = this.activeCache.get(id);
    if (cached && Date.now() - cached.at < ACTIVE_CACHE_MS) return cached.active;
    // Tagged so that query counts (e.g. the DataLoader tests) can tell the guard's own read apart.
    const user = await this.users
      .createQueryBuilder('u')
      .select(['u.id', 'u.active'])
      .where('u.id = :id', { id })
      .comment('roles guard: is the user active')
      .getOne();
    const active = user?.active ?? false;
    this.activeCache.set(id, { active, at: Date.now() });
    return active;
  }

  /** Creates the first admin from the environment when the node has no admin yet. */
  async ensureAdmin(email: string, password: string): Promise<User | undefined> {
    const hasAdmin = await this.users.createQueryBuilder('u').where(`'admin' = ANY(u.roles)`).getExists();
    if (hasAdmin) return undefined;
    return this.create({ email, password, displayName: 'Administrator', roles: ['admin' as Role] });
  }
}
