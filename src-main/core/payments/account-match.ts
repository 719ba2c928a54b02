/**
 * Does an SMS's receiving-account hint ("XX6788", "A/c **1234", "01711111111") name one of
 * a gateway's identifiers? Banks mask all but the last digits, so a masked hint matches an
 * identifier that ends with its visible digits; an unmasked one must match whole.
 */
function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

function isMasked(hint: string): boolean {
  return /[x*•.]{2,}|^[x*]+\d+$/i.test(hint.replace(/\s/g, ''));
}

export function accountMatches(hint: string, identifiers: readonly string[]): boolean {
  const hintDigits = digitsOf(hint);
  const hintLower = hint.trim().toLowerCase();
  for (const identifier of identifiers) {
    const idLower = identifier.trim().toLowerCase();
    if (idLower === hintLower) return true;
    const idDigits = digitsOf(identifier);
    if (hintDigits.length < 3 || idDigits.length < 3) continue;
    if (isMasked(hint) || isMasked(identifier)) {
      const shorter = Math.min(hintDigits.length, idDigits.length);
      if (hintDigits.slice(-shorter) === idDigits.slice(-shorter)) return true;
    } else if (samePhone(hintDigits, idDigits)) return true;
  }
  return false;
}

/** Phone numbers compare on their last ten digits: +8801711… and 01711… are the same line. */
export function samePhone(a: string, b: string): boolean {
  const da = digitsOf(a);
  const db = digitsOf(b);
  if (da.length < 7 || db.length < 7) return da === db && da.length > 0;
  const n = Math.min(10, da.length, db.length);
  return da.slice(-n) === db.slice(-n);
}
