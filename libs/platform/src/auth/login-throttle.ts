/**
 * Login throttling, in memory (per process): failed password attempts are counted per
 * account+address, per address and per account, each with its own allowance and an exponential
 * back-off once the allowance is spent. Refused attempts are not counted, so waiting always works.
 *
 * Why an attacker elsewhere cannot lock a user out: the long back-offs key on the attacker's own
 * address (alone, or with the account). The account-wide limit, which catches attacks spread over
 * many addresses, is capped short (30 s) and forgotten quickly, and it does not apply to an address
 * that already signed in to that account successfully (in this process).
 */
export interface ThrottleRule {
  /** Failures allowed before the back-off starts. */
  free: number;
  /** The first back-off, doubled at each further failure… */
  baseSeconds: number;
  /** …up to this. */
  capSeconds: number;
  /** A key without failures for this long starts afresh. */
  forgetSeconds: number;
}

export interface ThrottleRules {
  accountAndAddress: ThrottleRule;
  address: ThrottleRule;
  account: ThrottleRule;
}

export const DEFAULT_THROTTLE_RULES: ThrottleRules = {
  accountAndAddress: { free: 5, baseSeconds: 1, capSeconds: 900, forgetSeconds: 3600 },
  address: { free: 30, baseSeconds: 1, capSeconds: 900, forgetSeconds: 3600 },
  account: { free: 50, baseSeconds: 1, capSeconds: 30, forgetSeconds: 120 },
};

interface Counter {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

type Scope = keyof ThrottleRules;

export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();
  /** account|address pairs that signed in successfully (exempt from the account-wide limit). */
  private readonly known = new Map<string, number>();

  constructor(
    private readonly rules: ThrottleRules = DEFAULT_THROTTLE_RULES,
    /** Bound on the memory an attacker can make us use; the oldest entries go first. */
    private readonly maxEntries = 100_000,
  ) {}

  /** Seconds to wait before this account may be tried from this address (0: go ahead). */
  retryAfterSeconds(account: string, address: string, now = Date.now()): number {
    const waits = this.keys(account, address)
      .filter(([scope]) => scope !== 'account' || !this.known.has(pairKey(account, address)))
      .map(([scope, key]) => this.blockedFor(scope, key, now));
    return Math.ceil(Math.max(0, ...waits) / 1000);
  }

  recordFailure(account: string, address: string, now = Date.now()): void {
    for (const [scope, key] of this.keys(account, address)) {
      const rule = this.rules[scope];
      const previous = this.live(scope, key, now);
      const failures = (previous?.failures ?? 0) + 1;
      const over = failures - rule.free;
      const backOff = over > 0 ? Math.min(rule.capSeconds, rule.baseSeconds * 2 ** (over - 1)) * 1000 : 0;
      this.counters.delete(key); // re-inserted last: the Map's order is the eviction order
      this.counters.set(key, { failures, lastFailureAt: now, blockedUntil: now + backOff });
    }
    this.evict(this.counters);
  }

  recordSuccess(account: string, address: string, now = Date.now()): void {
    const pair = pairKey(account, address);
    this.counters.delete(`accountAndAddress:${pair}`);
    this.known.delete(pair);
    this.known.set(pair, now);
    this.evict(this.known);
  }

  private keys(account: string, address: string): [Scope, string][] {
    return [
      ['accountAndAddress', `accountAndAddress:${pairKey(account, address)}`],
      ['address', `address:${address}`],
      ['account', `account:${account.toLowerCase()}`],
    ];
  }

  private live(scope: Scope, key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && now - counter.lastFailureAt > this.rules[scope].forgetSeconds * 1000) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private blockedFor(scope: Scope, key: string, now: number): number {
    const counter = this.live(scope, key, now);
    return counter ? Math.max(0, counter.blockedUntil - now) : 0;
  }

  private evict(map: Map<string, unknown>): void {
    if (map.size <= this.maxEntries) return;
    let excess = map.size - Math.floor(this.maxEntries * 0.9);
    for (const key of map.keys()) {
      if (excess-- <= 0) break;
      map.delete(key);
    }
  }
}

const pairKey = (account: string, address: string): string => `${account.toLowerCase()}|${address}`;
