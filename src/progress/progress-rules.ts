import type { ProblemList } from '../common/errors';
import type { MetricRow } from '../metrics/metric.types';

/** Largest value a report may carry (GraphQL Int). */
export const MAX_VALUE = 2 ** 31 - 1;

export interface ReportUnit {
  id: number;
  code: string;
  path: string;
  level: string;
  validFrom: string;
  validTo: string | null;
}

type Path = (string | number)[];

export function checkValue(problems: ProblemList, path: Path, value: number, row?: number): void {
  if (!Number.isInteger(value)) problems.add(path, `${where(row)}value must be a whole number, got ${value}.`, row);
  else if (value < 0) problems.add(path, `${where(row)}value must not be negative, got ${value}.`, row);
  else if (value > MAX_VALUE) problems.add(path, `${where(row)}value must be at most ${MAX_VALUE}, got ${value}.`, row);
}

/** The day must be a past or present Vietnam calendar day within the unit's life. */
export function checkDay(problems: ProblemList, path: Path, unit: ReportUnit, asOf: string, today: string, row?: number): void {
  if (asOf > today) problems.add(path, `${where(row)}asOf ${asOf} is in the future (today is ${today} in Vietnam).`, row);
  if (asOf < unit.validFrom) problems.add(path, `${where(row)}asOf ${asOf} is before unit ${unit.code} existed (valid from ${unit.validFrom}).`, row);
  if (unit.validTo && asOf > unit.validTo) problems.add(path, `${where(row)}asOf ${asOf} is after unit ${unit.code} was retired (${unit.validTo}).`, row);
}

export function checkLevel(problems: ProblemList, path: Path, unit: ReportUnit, metric: MetricRow, row?: number): void {
  if (unit.level !== metric.reportingLevel) {
    problems.add(path, `${where(row)}${metric.code} is reported by ${metric.reportingLevel} units; ${unit.code} is a ${unit.level}.`, row);
  }
}

export const where = (row?: number): string => (row === undefined ? '' : `Row ${row}: `);
