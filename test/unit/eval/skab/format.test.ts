import { describe, expect, it } from 'vitest';
import { leaderboardTable, targetVerdict } from '../../../../eval/skab/format.js';
import { SKAB_LEADERBOARD, withOurRows } from '../../../../eval/skab/leaderboard.js';

describe('SKAB leaderboard output', () => {
  it('inserts our rows by F1 and keeps the published order among the rest', () => {
    const rows = withOurRows([{ algorithm: 'ours', f1: 0.77, far: 10, mar: 20 }]);
    const names = rows.map((r) => r.algorithm);
    expect(names.indexOf('ours')).toBe(names.indexOf('MSET') + 1);
    expect(names.indexOf('ours')).toBe(names.indexOf('T-squared+Q (PCA-based)') - 1);
    expect(rows.filter((r) => !r.ours).map((r) => r.algorithm)).toEqual(
      [...SKAB_LEADERBOARD].sort((a, b) => b.f1 - a.f1).map((r) => r.algorithm),
    );
  });

  it('prints our figures in bold with three decimals, so 0.849 does not read as 0.85', () => {
    const table = leaderboardTable([{ algorithm: 'thrum', f1: 0.849, far: 15, mar: 16.694 }]);
    expect(table).toContain('| **thrum** | **0.849** | **15.00** | **16.69** |');
    expect(table).toContain('| Conv-AE | 0.78 | 13.55 | 28.02 |');
  });

  it('says which part of the target is missed', () => {
    expect(targetVerdict(0.86, 9, 19)).toMatch(/ met$/);
    const v = targetVerdict(0.849, 15, 16.7);
    expect(v).toMatch(/NOT met: F1 0\.849 < 0\.85, FAR 15\.00 % > 10 %$/);
  });
});
