import { inForce } from './suspension';

const at = (iso: string) => Date.parse(iso);
const suspension = {
  reason: 'SPAM' as const,
  suspendedBy: 'admin',
  suspendedAt: '2026-01-01T00:00:00Z',
};

describe('the suspension in force', () => {
  it('is the last one while it is neither lifted nor over', () => {
    expect(inForce([], at('2026-01-02T00:00:00Z'))).toBeUndefined();
    expect(inForce([suspension], at('2026-01-02T00:00:00Z'))).toBe(suspension);
    const ending = { ...suspension, until: '2026-01-03T00:00:00Z' };
    expect(inForce([ending], at('2026-01-02T00:00:00Z'))).toBe(ending);
    expect(inForce([ending], at('2026-01-03T00:00:00Z'))).toBeUndefined();
    const lifted = { ...suspension, liftedBy: 'admin', liftedAt: '2026-01-01T01:00:00Z' };
    expect(inForce([lifted], at('2026-01-02T00:00:00Z'))).toBeUndefined();
    expect(inForce([lifted, suspension], at('2026-01-02T00:00:00Z'))).toBe(suspension);
  });
});
