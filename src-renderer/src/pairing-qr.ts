import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useCounter } from './store';

/**
 * The phone-pairing QR code (the core's devices.pairing payload as an image), loaded when a
 * screen that shows it opens: the Devices tab and the setup flow's phone step share it.
 */
export function usePairingQr(width: number): string | null {
  const pairing = useCounter((s) => s.pairing);
  const loadPairing = useCounter((s) => s.loadPairing);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void loadPairing();
  }, [loadPairing]);
  useEffect(() => {
    if (!pairing) return;
    void QRCode.toDataURL(JSON.stringify(pairing), { margin: 1, width }).then(setQr);
  }, [pairing, width]);
  return qr;
}
