/**
 * Calls `onLine` for every non-empty line of a child's output stream, as it arrives; `\r` ends a line too (a
 * progress line rewrites itself with it). A last line without a newline is delivered when the stream ends.
 */
export function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    const parts = (rest + text).split(/\r|\n/);
    rest = parts.pop() ?? '';
    for (const line of parts) if (line.length > 0) onLine(line);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}
