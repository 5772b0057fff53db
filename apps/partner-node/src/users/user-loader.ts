import { byKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import type { User } from './user.entity.js';
import type { UsersService } from './users.service.js';

/** Per-request DataLoader of users by id (null when the user is gone). */
export async function loadUser(
  ctx: LoaderContext,
  users: UsersService,
  id: string | null,
): Promise<User | null> {
  if (!id) return null;
  const found = await loader<string, User | undefined>(ctx, 'users.byId', async (ids) =>
    byKey(ids, await users.findByIds(ids), (u) => u.id),
  ).load(id);
  return found ?? null;
}
