import type { PortConnection, PortDriver, PortHandlers } from '../../../../device/source/port-driver.js';

/** A serial port that can be plugged, unplugged and fed bytes by the test. */
export class FakePortDriver implements PortDriver {
  readonly path = '/dev/fake0';
  present = true;
  opens = 0;
  closes = 0;
  private handlers: PortHandlers | undefined;

  async open(handlers: PortHandlers): Promise<PortConnection> {
    this.opens++;
    if (!this.present) throw new Error(`Error: No such file or directory, cannot open ${this.path}`);
    this.handlers = handlers;
    return {
      close: async () => {
        this.closes++;
        if (this.handlers === handlers) this.handlers = undefined;
      },
    };
  }

  get isOpen(): boolean {
    return this.handlers !== undefined;
  }

  send(text: string): void {
    if (!this.handlers) throw new Error('fake port: send() while closed');
    this.handlers.onData(new TextEncoder().encode(text));
  }

  unplug(): void {
    this.present = false;
    const h = this.handlers;
    this.handlers = undefined;
    h?.onLost(new Error('Error: read EIO (disconnected)'));
  }
}
