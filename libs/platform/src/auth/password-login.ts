import { TooManyRequestsError, UnauthenticatedError } from '../errors/app-errors.js';
import type { LoginThrottle } from './login-throttle.js';
import { passwordChecks } from './password-limiter.js';
import { hashPassword, verifyPassword } from './passwords.js';

/**
 * A password login, the same for node users and federation operators: refused early while the
 * throttle says wait, one scrypt whether the account exists or not (so timing does not tell), the
 * same error for an unknown e-mail, a wrong password and a deactivated account, and the outcome
 * recorded in the throttle. The look-up and the check take a slot of the process's password-check
 * limiter: when it is full the attempt is refused at once, before any database or scrypt work.
 */
export async function checkPasswordLogin<T extends { passwordHash: string; active: boolean }>(
  throttle: LoginThrottle,
  login: { email: string; password: string; clientAddress: string },
  find: () => Promise<T | null>,
  refusal: string,
): Promise<T> {
  const wait = throttle.retryAfterSeconds(login.email, login.clientAddress);
  if (wait > 0) throw new TooManyRequestsError(`Too many failed sign-ins; try again in ${wait} s`, wait);
  const { account, ok } = await passwordChecks.run(async () => {
    const found = await find();
    const matches = found
      ? await verifyPassword(login.password, found.passwordHash)
      : await hashPassword(login.password).then(() => false);
    return { account: found, ok: matches };
  });
  if (!account || !ok || !account.active) {
    throttle.recordFailure(login.email, login.clientAddress);
    throw new UnauthenticatedError(refusal);
  }
  throttle.recordSuccess(login.email, login.clientAddress);
  return account;
}
