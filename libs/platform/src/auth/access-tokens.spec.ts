import { describe, expect, it } from '@jest/globals';
import { AccessTokens } from './access-tokens.js';

describe('AccessTokens: verified tokens remembered briefly, by hash', () => {
  const tokens = new AccessTokens('a test secret of at least thirty-two characters', 'test-issuer', 3600);

  it('gives the same user on every use, and a copy each time', async () => {
    const { token } = await tokens.issue({ id: 'u1', roles: ['agent'] });
    const first = await tokens.verify(token);
    first.roles.push('admin');
    expect(await tokens.verify(token)).toEqual({ id: 'u1', roles: ['agent'] });
  });

  it('still refuses a token once it has expired, though it verified before', async () => {
    const { token } = await tokens.issue({ id: 'u2', roles: ['agent'] }, 1);
    await expect(tokens.verify(token)).resolves.toMatchObject({ id: 'u2' });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token signed with another secret or altered', async () => {
    const other = new AccessTokens('another secret of at least thirty-two characters', 'test-issuer', 3600);
    const { token } = await other.issue({ id: 'u3', roles: ['admin'] });
    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const { token: good } = await tokens.issue({ id: 'u4', roles: ['agent'] });
    await tokens.verify(good);
    await expect(tokens.verify(`${good.slice(0, -2)}xx`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
