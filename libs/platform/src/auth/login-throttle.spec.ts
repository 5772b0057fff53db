import { describe, expect, it } from '@jest/globals';
import { DEFAULT_THROTTLE_RULES, LoginThrottle } from './login-throttle.js';

const T0 = 1_000_000;

describe('LoginThrottle (pure, on an explicit clock)', () => {
  it('allows the free failures, then backs off exponentially for that account and address', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < DEFAULT_THROTTLE_RULES.accountAndAddress.free; i++) {
      expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.1', T0)).toBe(0);
      throttle.recordFailure('ada@x.test', '10.0.0.1', T0);
    }
    expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.1', T0)).toBe(0);
    throttle.recordFailure('ada@x.test', '10.0.0.1', T0);
    expect(throttle.retryAfterSeconds('ADA@x.test', '10.0.0.1', T0)).toBe(1);
    throttle.recordFailure('ada@x.test', '10.0.0.1', T0 + 1000);
    expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.1', T0 + 1000)).toBe(2);
    throttle.recordFailure('ada@x.test', '10.0.0.1', T0 + 3000);
    expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.1', T0 + 3000)).toBe(4);
    // Waiting is enough: the back-off runs out.
    expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.1', T0 + 7000)).toBe(0);
  });

  it('never locks the same account for another address while only one address fails', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 20; i++) throttle.recordFailure('ada@x.test', '10.0.0.1', T0);
    expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.1', T0)).toBeGreaterThan(60);
    expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.2', T0)).toBe(0);
  });

  it('an address failing on many accounts is slowed down on all of them', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < DEFAULT_THROTTLE_RULES.address.free + 1; i++) {
      throttle.recordFailure(`user${i}@x.test`, '10.0.0.9', T0);
    }
    expect(throttle.retryAfterSeconds('someone-else@x.test', '10.0.0.9', T0)).toBe(1);
    expect(throttle.retryAfterSeconds('someone-else@x.test', '10.0.0.8', T0)).toBe(0);
  });

  it('the account-wide limit is short, forgotten quickly, and spares addresses that signed in before', () => {
    const throttle = new LoginThrottle();
    throttle.recordSuccess('ada@x.test', '192.168.1.5', T0);
    const rule = DEFAULT_THROTTLE_RULES.account;
    for (let i = 0; i < rule.free + 10; i++) throttle.recordFailure('ada@x.test', `10.1.${i}.1`, T0);
    const fresh = throttle.retryAfterSeconds('ada@x.test', '172.16.0.1', T0);
    expect(fresh).toBeGreaterThan(0);
    expect(fresh).toBeLessThanOrEqual(rule.capSeconds);
    expect(throttle.retryAfterSeconds('ada@x.test', '192.168.1.5', T0)).toBe(0);
    expect(throttle.retryAfterSeconds('ada@x.test', '172.16.0.1', T0 + rule.capSeconds * 1000)).toBe(0);
    // Forgotten after a quiet while: one more failure does not start where the attack left off.
    throttle.recordFailure('ada@x.test', '10.9.9.9', T0 + (rule.forgetSeconds + 1) * 1000);
    expect(throttle.retryAfterSeconds('ada@x.test', '172.16.0.1', T0 + (rule.forgetSeconds + 1) * 1000)).toBe(
      0,
    );
  });

  it('a success clears the account+address counter', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 5; i++) throttle.recordFailure('ada@x.test', '10.0.0.1', T0);
    throttle.recordSuccess('ada@x.test', '10.0.0.1', T0);
    throttle.recordFailure('ada@x.test', '10.0.0.1', T0);
    expect(throttle.retryAfterSeconds('ada@x.test', '10.0.0.1', T0)).toBe(0);
  });

  it('keeps its memory bounded however many addresses an attacker uses', () => {
    const throttle = new LoginThrottle(DEFAULT_THROTTLE_RULES, 1000);
    for (let i = 0; i < 5000; i++) throttle.recordFailure(`a${i}@x.test`, `10.${i >> 8}.${i & 255}.1`, T0);
    expect((throttle as unknown as { counters: Map<string, unknown> }).counters.size).toBeLessThanOrEqual(
      1000,
    );
  });
});
