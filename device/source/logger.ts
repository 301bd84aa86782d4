type LogFn = (fields: object, message: string) => void;

/** The slice of pino's Logger this folder uses; a pino logger (or a child of one) fits as it is. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
