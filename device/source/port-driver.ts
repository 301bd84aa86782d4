/** Callbacks a driver calls while a port is open. */
export interface PortHandlers {
  onData(chunk: Uint8Array): void;
  /** The port closed or failed on its own (unplugged, I/O error). Called at most once, never after close(). */
  onLost(error: Error): void;
}

export interface PortConnection {
  /** Closes the port; never rejects. */
  close(): Promise<void>;
}

/** Opens one serial port; the reconnecting source decides when. Adapters: device/adapters/serialport-source.ts. */
export interface PortDriver {
  readonly path: string;
  /** Rejects when the port cannot be opened (missing, busy, no permission). */
  open(handlers: PortHandlers): Promise<PortConnection>;
}
