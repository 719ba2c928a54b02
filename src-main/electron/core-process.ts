/**
 * The core, run by the desktop shell as an Electron utility process: the same serve path
 * as the headless shell, so a crash in a native module cannot take the window down and
 * both shells run identical code. It reports its URLs and the staff token to the window's
 * process over the parent port (never on a command line, where other users could read it).
 */
import type { CoreProcessMessage, ShellToCoreMessage } from '../../src-shared/contract/desktop';
import { serveCommand } from '../headless/serve-command';

interface ParentPort {
  postMessage(message: CoreProcessMessage): void;
  on(event: 'message', listener: (event: { data: ShellToCoreMessage }) => void): unknown;
}

// Electron gives utility processes `process.parentPort`; plain Node does not have it.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

const dataDirIndex = process.argv.indexOf('--data-dir');
const dataDir = dataDirIndex >= 0 ? process.argv[dataDirIndex + 1] : undefined;

// The shell asks for a clean stop by message: on Windows utilityProcess.kill() is no SIGTERM.
// serveCommand's SIGTERM handler drains requests and folds the WAL back in, as for a signal.
parentPort?.on('message', ({ data }) => {
  if (data?.type === 'stop') process.emit('SIGTERM', 'SIGTERM');
});

serveCommand({ dataDir }, (ready) => parentPort?.postMessage({ type: 'ready', ...ready })).catch((err: unknown) => {
  parentPort?.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
