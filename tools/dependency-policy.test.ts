import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

interface PackageRule {
  matchPackageNames?: string[];
  automerge?: boolean;
  groupName?: string | null;
  prBodyNotes?: string[];
}

/** The packages pnpm-workspace.yaml patches, from its `patchedDependencies` keys. */
function patchedPackages(): string[] {
  const workspace = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^patchedDependencies:\n((?:[ \t]+.*\n)+)/m.exec(workspace)?.[1] ?? '';
  return [...block.matchAll(/^\s+'?(@?[^@\s']+)@[^:]+:/gm)].map((m) => m[1]!).sort();
}

describe('the dependency update policy (renovate.json)', () => {
  const config = JSON.parse(readFileSync(join(root, 'renovate.json'), 'utf8')) as {
    rangeStrategy: string;
    packageRules: PackageRule[];
    vulnerabilityAlerts: { minimumReleaseAge: null };
  };

  it('updates every patched package alone, never automerged, with the steps to carry the patch', () => {
    const patched = patchedPackages();
    expect(patched.length).toBeGreaterThan(0);
    const rule = config.packageRules.find((r) =>
      r.matchPackageNames?.some((name) => patched.includes(name)),
    );
    expect([...(rule?.matchPackageNames ?? [])].sort()).toEqual(patched);
    expect(rule).toMatchObject({ automerge: false, groupName: null });
    const notes = rule?.prBodyNotes?.join(' ') ?? '';
    const test = /`\.\/scripts\/test (\S+)/.exec(notes)?.[1];
    expect(test && existsSync(join(root, test))).toBe(true);
    // No other rule groups a patched package with others.
    const grouping = config.packageRules.filter(
      (r) => r !== rule && r.groupName && r.matchPackageNames?.some((n) => patched.includes(n)),
    );
    expect(grouping).toEqual([]);
  });

  it('keeps versions exact and takes security fixes at once', () => {
    expect(config.rangeStrategy).toBe('pin');
    expect(config.vulnerabilityAlerts.minimumReleaseAge).toBeNull();
  });
});
