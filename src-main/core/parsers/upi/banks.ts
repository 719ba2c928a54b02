/**
 * Which bank each DLT header belongs to. Indian bank SMS arrive from a header such as `VM-HDFCBK-S`:
 * a two-letter operator/circle prefix, the bank's registered 6-character ID, and since 2025 an
 * optional category suffix. Only IDs seen on genuine bank SMS in a public source are listed; the
 * source of each is beside it ("pennywise" is sarim2000/pennywiseai-tracker, "Cashiro" is
 * ritesh-kanwar/Cashiro; issue numbers are that repository's user bank-support reports).
 *
 * The balance chain keys UPI accounts on the bank as well as the account digits (chain-key.ts,
 * anchor-balance.ts, migration 0060): a forger who spoofs another bank's header must not open a
 * second, trusted chain for the shop's account. Look-alikes stay out (`VM-HDFCBN`), and a header
 * a shop sees that is not here is added per gateway (`extraSenders`).
 */
export const UPI_BANK_HEADERS = {
  // README table (code search); Cashiro#112 AD-SBIUPI-S, Cashiro#70 AX-CBSSBI-S, Cashiro#35
  // VA-SBIPSG-T, pennywise#46 AX-ATMSBI-S; SBIBNK: prash077/SHIELD sender_ids.md, pennywise SBIBankParser.kt.
  SBI: ['SBIUPI', 'SBIINB', 'SBIPSG', 'CBSSBI', 'ATMSBI', 'SBIBNK'],
  // README table; Cashiro#168 AD-HDFCBK-S; pennywise TestHDFCBankParser.kt CP-HDFCBK-S.
  HDFC: ['HDFCBK'],
  // README table; pennywise TestICICIBankParser.kt (ICICIB, JM-ICICIT-S, AX-ICICIT-S).
  ICICI: ['ICICIB', 'ICICIT'],
  // README table; Cashiro#140 CP-AXISBK-S; pennywise TestAxisBankParser.kt (AX-/JD-AXISBK-S).
  AXIS: ['AXISBK'],
  // README table; pennywise TestKotakBankParser.kt JD-KOTAKB-S. KOTAKD (Kotak811 alerts): Cashiro#167 JD-KOTAKD-S.
  KOTAK: ['KOTAKB', 'KOTAKD'],
  // pennywise PNBBankParserTest.kt VM-PNBSMS-S.
  PNB: ['PNBSMS'],
  // pennywise#90 JK-/JX-/JD-/JM-INDUSB-S, pennywise#104 VM-INDUSB-T.
  INDUSIND: ['INDUSB'],
  // India Post Payments Bank: pennywise IPPBParser.kt (XX-IPBMSG-S).
  IPPB: ['IPBMSG'],
  // pennywise#620 VK-/JK-CANBNK-S, CanaraBankParserTest.kt VA-CANBNK-S.
  CANARA: ['CANBNK'],
  // Bank of Baroda: pennywise TestBankOfBarodaParser.kt (VM-BOBTXN-S, VM-BOBSMS).
  BOB: ['BOBTXN', 'BOBSMS'],
  // Union Bank of India: pennywise#21 JX-/JK-/JD-UNIONB-S.
  UNION: ['UNIONB'],
  // pennywise#69 CP-/VM-/JX-YESBNK-S.
  YES: ['YESBNK'],
  // pennywise#26 VM-/CP-/JK-IDFCFB-S; TestIDFCFirstBankParser.kt BM-IDFCBK-S.
  IDFCFIRST: ['IDFCFB', 'IDFCBK'],
  // pennywise TestFederalBankParser.kt AD-FEDBNK, AX-FEDBNK-S.
  FEDERAL: ['FEDBNK'],
  // Punjab & Sind Bank: pennywise#266 VM-/AX-/JD-PSBANK-S.
  PSB: ['PSBANK'],
  // South Indian Bank: pennywise TestSouthIndianBankParser.kt VM-SIBSMS-S.
  SIB: ['SIBSMS'],
  // Central Bank of India: pennywise#12 JD-CENTBK-S.
  CENTRAL: ['CENTBK'],
  // Indian Bank: pennywise TestIndianBankParser.kt AD-INDBNK-S.
  INDIAN: ['INDBNK'],
  // UCO Bank: search phrase "Money Received - INR" (a Dart sampleSms list of real alerts: AD-UCOBNK, VM-UCOBNK).
  UCO: ['UCOBNK'],
  // AU Small Finance Bank: search phrase "as a reversal of debit transaction" (JS emulator SMS list:
  // AUBANK, VD-AUBANK-S); pennywise bank-samples.json VM-AUBANK.
  AU: ['AUBANK'],
  // City Union Bank: pennywise#25 AD-/AX-CUBANK-S, JK-CUBLTD-S.
  CUB: ['CUBANK', 'CUBLTD'],
  // slice (slice Small Finance Bank): SLCBNK Cashiro#111 AX-SLCBNK-S, Cashiro#160 JD-SLCBNK-S, pennywise PR#557
  // VA-SLCBNK-S; SLCEIT pennywise#232 ("Senders dump": VA-SLCEIT-S), pennywise SliceParser.kt (JD-SLCEIT-S).
  SLICE: ['SLCBNK', 'SLCEIT'],
  // Airtel Payments Bank: Cashiro#43 AD-AIRBNK-S; pennywise AirtelPaymentsBankParser.kt (AD-AIRBNK-S).
  AIRTEL: ['AIRBNK'],
  // FamPay / FamApp by Trio: FAMPAY Cashiro#69 (JD-FAMPAY-S, AD-FAMPAY, AX-FAMPAY-S), Cashiro#78 JK-FAMPAY-S;
  // TRIOTK Cashiro#76 JX-TRIOTK-S, Cashiro#77 JM-TRIOTK-S, Cashiro#79 JK-/JD-TRIOTK-S.
  FAMPAY: ['FAMPAY', 'TRIOTK'],
} as const satisfies Record<string, readonly string[]>;
