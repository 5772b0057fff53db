import { describe, expect, it } from '@jest/globals';
import { BatchReplayCheck, type MessageId } from './batch-replay-check.js';
import { messageKey } from './received-messages.repository.js';

describe('BatchReplayCheck', () => {
  const takenBefore = (taken: MessageId[]) => {
    const reads: MessageId[][] = [];
    const check = (size: number) =>
      new BatchReplayCheck(size, async (ids) => {
        reads.push([...ids]);
        return new Set(taken.map((id) => messageKey(id.issuer, id.jti)));
      });
    return { check, reads };
  };

  it('reads the ids taken before once, when every message has reached the check or failed before it', async () => {
    const { check, reads } = takenBefore([{ issuer: 'alice', jti: 'old' }]);
    const replays = check(4);
    // Message 2 fails before its check (a bad signature): it must not hold the others back.
    const verdicts = [
      replays.isReplayed(3, 'alice', 'new-2'),
      replays.isReplayed(0, 'alice', 'old'),
      replays.isReplayed(1, 'alice', 'new-1'),
    ];
    expect(reads).toEqual([]);
    replays.settled(2);
    expect(await Promise.all(verdicts)).toEqual([false, true, false]);
    expect(reads).toEqual([
      [
        { issuer: 'alice', jti: 'old' },
        { issuer: 'alice', jti: 'new-1' },
        { issuer: 'alice', jti: 'new-2' },
      ],
    ]);
  });

  it('takes the first of two copies in the batch order, even when the second reaches the check first', async () => {
    const { check } = takenBefore([]);
    const replays = check(3);
    const second = replays.isReplayed(2, 'alice', 'twice');
    const first = replays.isReplayed(0, 'alice', 'twice');
    const other = replays.isReplayed(1, 'bob', 'twice');
    expect(await Promise.all([first, other, second])).toEqual([false, false, true]);
  });

  it('reads nothing when no message reaches the check', () => {
    const { check, reads } = takenBefore([]);
    const replays = check(2);
    replays.settled(0);
    replays.settled(1);
    expect(reads).toEqual([]);
  });
});
