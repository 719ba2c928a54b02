import type { DayReport, ReportCsv, ShiftCloseOut } from '../../../src-shared/contract/reports';
import { missingSms } from '../balance';
import type { Db } from '../db';
import { reportRepoOf } from '../db/repos/report-repo';
import { gatewayViews } from '../shop';
import { closeShift } from './close-shift';
import { buildDayReport } from './day-report';
import { buildReportCsv } from './report-csv';
import { parseCsvArg, parseDayArg, parseShiftArg } from './report-input';
import type { ShopZone } from './shop-day';

export { toCsv, csvCell, type CsvCell } from './csv';
export { addDays, dayRange, shopDateOf, shopIso, zoneWords, type ShopZone } from './shop-day';

export interface ReportsDeps {
  db: Db;
  merchantId: number;
  auditKey: string;
  /** config devices.utcOffsetMinutes; undefined: the computer's time zone. */
  utcOffsetMinutes?: number;
  clock: () => number;
}

/**
 * The reports (issue 14 item 5): read-only views of a shop day's money, its CSV exports, and the
 * end-of-shift close-out, which is the one write (an audit row). Every read is on an index and
 * ranged by time (db/repos/report-repo.ts).
 */
export class Reports {
  private readonly zone: ShopZone;

  constructor(private readonly deps: ReportsDeps) {
    this.zone = { utcOffsetMinutes: deps.utcOffsetMinutes };
  }

  private get repo() {
    return reportRepoOf(this.deps.db);
  }

  private gateways() {
    return gatewayViews(this.deps.db, this.deps.merchantId);
  }

  day(arg: unknown): DayReport {
    const input = parseDayArg(arg);
    return buildDayReport(
      {
        repo: this.repo,
        merchantId: this.deps.merchantId,
        zone: this.zone,
        now: this.deps.clock(),
        gateways: this.gateways(),
        missingSms: () => missingSms(this.deps.db, this.deps.merchantId),
      },
      input.date,
      input.test,
    );
  }

  csv(arg: unknown): ReportCsv {
    const input = parseCsvArg(arg);
    return buildReportCsv(
      { repo: this.repo, merchantId: this.deps.merchantId, zone: this.zone, gateways: this.gateways() },
      input.date,
      input.kind,
      input.test,
    );
  }

  /** Closes the shift of every cashier, or of the one `cashier` names (recorded as `staff:<name>`). */
  closeShift(arg: unknown): ShiftCloseOut {
    const now = this.deps.clock();
    const range = parseShiftArg(arg, now);
    return closeShift({ db: this.deps.db, repo: this.repo, auditKey: this.deps.auditKey, zone: this.zone, now }, range);
  }
}
