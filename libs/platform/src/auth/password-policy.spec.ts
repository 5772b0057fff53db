import { describe, expect, it } from '@jest/globals';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['short1!', 'at least 12'],
    ['aaaaaaaaaaaa', 'repetitive'],
    ['abcabcabcabc', 'repetitive'],
    ['abcdefghijkl', 'sequence'],
    ['zyxwvutsrqpo', 'sequence'],
    ['123456789012', 'sequence'],
    ['qwertyuiop12', 'common'],
    ['1234qwerasdf', 'sequence'],
    ['password1234', 'common'],
    ['Password1234!', 'common'],
    ['p@ssw0rd2024', 'common'],
    ['passwordpassword', 'common'],
    ['iloveyou2024!!', 'common'],
    ['Marseille2024!', 'common'],
    ['correct horse battery staple', 'common'],
  ])('refuses %j (%s)', (password, why) => {
    expect(passwordProblem(password)).toContain(why);
  });

  it.each(['operator password 123', 'xK9#mP2$vL7q', 'Tr0ub4dor&3xyz', 'a test secret of at least thirty'])(
    'accepts %j',
    (password) => {
      expect(passwordProblem(password)).toBeUndefined();
    },
  );
});
