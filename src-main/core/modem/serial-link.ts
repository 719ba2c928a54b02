import { SerialPort } from 'serialport';
import type { AtTransport } from './at-channel';

/** An open serial port as the reader uses it: an AT transport that says when it closes. */
export interface SerialLink {
  transport: AtTransport;
  onClose(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export type OpenSerial = (path: string, baudRate: number) => Promise<SerialLink>;

/** Opens a port with the real serialport bindings (8N1, no flow control, as GSM modems expect). */
export const openSerial: OpenSerial = (path, baudRate) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => {
      if (err) {
        reject(err);
        return;
      }
      const closeListeners: ((reason: string) => void)[] = [];
      let closed = false;
      const closedWith = (reason: string) => {
        if (closed) return;
        closed = true;
        for (const l of closeListeners) l(reason);
      };
      port.on('close', () => closedWith('port closed'));
      port.on('error', (e: Error) => closedWith(`port error: ${e.message}`));
      resolve({
        transport: {
          write: (data) => {
            port.write(data, 'latin1', (e) => {
              if (e) closedWith(`write failed: ${e.message}`);
            });
          },
          onData: (listener) => port.on('data', (chunk: Buffer) => listener(chunk.toString('latin1'))),
        },
        onClose: (listener) => closeListeners.push(listener),
        close: () =>
          new Promise((done) => {
            if (!port.isOpen) {
              done();
              return;
            }
            port.close(() => done());
          }),
      });
    });
  });
