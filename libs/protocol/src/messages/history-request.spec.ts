import { describe, expect, it } from '@jest/globals';
import { agentRef, relationshipRef } from './history-request.js';

describe('history request references', () => {
  const CASE = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
  const USER = 'c0ffee00-1111-4222-8333-444455556666';
  const AGREEMENT = '9d2c8e1a-4b3f-4a6e-8c7d-1e2f3a4b5c6d';

  it('match the known answers of docs/protocol.md', () => {
    expect(relationshipRef('0b6c3a52-5d1e-4f7a-9a0b-2c4d6e8f0a1b', CASE)).toBe(
      'Q91N_S7Z36qyxaAiuoSAeCqDS3VZoXdy3QiirslWLMk',
    );
    expect(agentRef(AGREEMENT, USER)).toBe('NkcadskKQ_3JjdK4VdbkTX2q9GOUs5fADMm7e8US6AA');
  });

  it('a relationship reference differs at every request; an agent reference is stable per agreement only', () => {
    expect(relationshipRef('request-0001', CASE)).not.toBe(relationshipRef('request-0002', CASE));
    expect(agentRef(AGREEMENT, USER)).toBe(agentRef(AGREEMENT, USER));
    expect(agentRef(AGREEMENT, USER)).not.toBe(agentRef('agreement-0002', USER));
    // The parts are separated: moving a character from one part to the other changes the hash.
    expect(agentRef('ab', 'c')).not.toBe(agentRef('a', 'bc'));
  });
});
