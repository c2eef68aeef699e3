import { closeSync, constants, openSync, readSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The kernel log as it is now: /dev/kmsg read to its end without blocking, else `dmesg --raw`. */
export async function readKernelBuffer(): Promise<string> {
  try {
    const fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
    const buffer = Buffer.alloc(16 * 1024);
    const lines: string[] = [];
    try {
      for (;;) {
        try {
          const length = readSync(fd, buffer, 0, buffer.length, null);
          if (length <= 0) break;
          lines.push(buffer.toString('utf8', 0, length).split('\n', 1)[0]!);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EPIPE') continue;
          break;
        }
      }
    } finally {
      closeSync(fd);
    }
    return lines.join('\n');
  } catch {
    const { stdout } = await promisify(execFile)('dmesg', ['--raw'], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }
}
