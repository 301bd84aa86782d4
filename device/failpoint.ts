// Test-only crash points for the durability tests: THRUM_FAILPOINT=<name> makes the daemon die with SIGKILL
// at that point, as a power cut would. Never set in production; unknown names are ignored.

export const FAILPOINTS = ['after-commit-before-publish', 'after-puback-before-delete'] as const;
export type FailpointName = (typeof FAILPOINTS)[number];

const armed = process.env.THRUM_FAILPOINT;

export function failpoint(name: FailpointName): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
