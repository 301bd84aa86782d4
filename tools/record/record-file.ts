import { encodeCsv } from '../../shared/protocol/index.js';
import { formatRecordHeader } from '../../shared/record-format.js';
import type { CaptureItem } from './capture.js';

/** Default channel names: x, y, z for a 3-axis accelerometer, ch0.. otherwise. */
export function defaultNames(channels: number): string[] {
  return channels === 3 ? ['x', 'y', 'z'] : Array.from({ length: channels }, (_, i) => `ch${i}`);
}

/**
 * The text of a record file, as `thrum train` reads it (shared/record-format.ts):
 *   # thrum record sampleRate=3200 channels=3 names=x,y,z
 *   x,y,z
 *   0.0123,-0.0045,0.9981
 * Values are written with the fewest digits that read back as the same float32. Notes become `# ` lines.
 */
export class RecordFileText {
  private started = false;

  constructor(
    private readonly sampleRate: number,
    private readonly names?: string[],
  ) {}

  /** Text for the next items; the header comes before the first samples. */
  render(items: CaptureItem[]): string {
    let text = '';
    for (const item of items) {
      if (item.type === 'note') {
        text += `# ${item.text}\n`;
        continue;
      }
      if (!this.started) {
        this.started = true;
        const names = this.names ?? defaultNames(item.channels);
        text += `${formatRecordHeader({ sampleRate: this.sampleRate, names })}\n${names.join(',')}\n`;
      }
      text += encodeCsv(item.samples, item.channels);
    }
    return text;
  }
}
