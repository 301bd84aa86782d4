import type { Log } from '../../shared/log.js';
import { isDiskFull } from './sqlite-outbox-schema.js';

export type WriteFault = 'diskFull' | 'writeFailed';

/**
 * What the outbox knows about its storage refusing writes: the kind of the last failure (until a write
 * works), its message, and one log line per episode, not one per retry. `diskFull` and `writeFailed` become
 * the health flags `outboxDiskFull` and `outboxWriteFailed`.
 */
export class WriteFaults {
  current: WriteFault | undefined;
  private message: string | undefined;

  constructor(
    private readonly log: Log,
    private readonly ramBufferMax: number,
  ) {}

  failed(err: unknown): void {
    const fault: WriteFault = isDiskFull(err) ? 'diskFull' : 'writeFailed';
    if (this.current !== fault) {
      const fields = { err: (err as Error).message, code: codeOf(err), ramBufferMax: this.ramBufferMax };
      if (fault === 'diskFull') {
        this.log.error(
          { event: 'outbox.disk-full', ...fields },
          'outbox: disk full; holding new alerts in RAM until space returns',
        );
      } else {
        this.log.error(
          { event: 'outbox.write-failed', ...fields },
          'outbox: the database refuses writes (not a full disk); holding new alerts in RAM, publishing them, retrying',
        );
      }
    }
    this.current = fault;
    this.message = fault === 'writeFailed' ? (err as Error).message : undefined;
  }

  /** A write went through. */
  cleared(): void {
    this.current = undefined;
    this.message = undefined;
  }

  status(): { diskFull: boolean; writeFailed: boolean; writeError?: string } {
    return {
      diskFull: this.current === 'diskFull',
      writeFailed: this.current === 'writeFailed',
      ...(this.current === 'writeFailed' && this.message ? { writeError: this.message } : {}),
    };
  }
}

/** Logs a failure once until `ok()`: for a condition retried on every call (a read, a file rebuild). */
export class OnceLog {
  private failing = false;

  constructor(private readonly report: (err: unknown) => void) {}

  failed(err: unknown): void {
    if (!this.failing) this.report(err);
    this.failing = true;
  }

  ok(): void {
    this.failing = false;
  }
}

export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
