import { messageKey } from './received-messages.repository.js';

/** A message's id as the replay check reads it. */
export interface MessageId {
  issuer: string;
  jti: string;
}

/**
 * The replay check of a batch whose messages are verified together: each message reaches the
 * check (after its signature and claims, as one message alone would) or fails before it; once
 * every message has done one or the other, one read finds the ids taken before, and the verdicts
 * are given in the batch's order, so that the first of two copies in a batch is the one taken.
 * The ids are those the verifier read from each message's claims: no message is parsed for them
 * before it is verified.
 */
export class BatchReplayCheck {
  private readonly ids: (MessageId | undefined)[];
  private readonly arrived: Promise<void>[];
  private readonly arrive: (() => void)[] = [];
  private verdicts: Promise<boolean[]> | undefined;

  constructor(
    size: number,
    private readonly takenAmong: (ids: readonly MessageId[]) => Promise<Set<string>>,
  ) {
    this.ids = new Array<MessageId | undefined>(size);
    this.arrived = Array.from({ length: size }, (_, i) => new Promise<void>((r) => (this.arrive[i] = r)));
  }

  /** Message `index` at its replay check: whether its id was taken before it. */
  async isReplayed(index: number, issuer: string, jti: string): Promise<boolean> {
    this.ids[index] = { issuer, jti };
    this.arrive[index]!();
    this.verdicts ??= Promise.all(this.arrived).then(() => this.decide());
    return (await this.verdicts)[index]!;
  }

  /** Message `index` is done with (verified or refused): it no longer holds the others back. */
  settled(index: number): void {
    this.arrive[index]!();
  }

  private async decide(): Promise<boolean[]> {
    const asked = this.ids.filter((id): id is MessageId => id !== undefined);
    const taken = await this.takenAmong(asked);
    const inBatch = new Set<string>();
    return this.ids.map((id) => {
      if (id === undefined) return false;
      const key = messageKey(id.issuer, id.jti);
      const replayed = taken.has(key) || inBatch.has(key);
      inBatch.add(key);
      return replayed;
    });
  }
}
