import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { BadUserInputError, ProblemList } from '../common/errors';
import { allowed } from '../common/scoped';
import { audit } from '../audit/audit';
import { UnitLevel } from './unit-level';
import type { UnitRow } from './unit.repo';
import { kindFromName, kindFromType } from './unit-csv';
import { insertUnitsBulk } from './unit-import.repo';
import { parseMappingCsv, parseNewListCsv, type MappingRow } from './mapping-csv';
import { checkEffectiveDate, refuseEarlierThanRecorded } from './tree-rules';
import { beginTreeWrite, closeAt, insertLineage, openNewUnits, renameAt, reparentAt, type LineageLink } from './tree-write.repo';
import { emptiedUnits, unitsByCodeForChange } from './restructure.repo';
import { absorb, runRestructuring } from './restructure-core';
import { RestructuringSummary } from './restructure.types';
import { LineageKind } from './tree.entity';
import { MAX_IMPORT_BYTES } from './unit-import.service';
import type { ApplyRestructuringInput } from './restructure.inputs';

/** The plan read from the table: for each old unit its successors (first = primary: its own code, else the first row). */
interface Plan {
  rows: MappingRow[];
  successorsOf: Map<string, string[]>;
  newUnits: Map<string, { name: string; kind: string; provinceCode: string; row: number }>;
  provinceNames: Map<string, string>;
}

function plan(rows: MappingRow[], list: Map<string, { name: string; type: string }>): Plan {
  const successorsOf = new Map<string, string[]>();
  const newUnits: Plan['newUnits'] = new Map();
  const provinceNames = new Map<string, string>();
  for (const r of rows) {
    const list0 = successorsOf.get(r.oldCode) ?? [];
    if (!list0.includes(r.newCode)) list0.push(r.newCode);
    successorsOf.set(r.oldCode, list0);
    const official = list.get(r.newCode);
    const name = official?.name || r.newName;
    const kind = official?.type ? kindFromType(official.type) : r.newType ? kindFromType(r.newType) : kindFromName(name);
    if (!newUnits.has(r.newCode)) newUnits.set(r.newCode, { name, kind, provinceCode: r.newProvinceCode, row: r.row });
    if (r.newProvinceName) provinceNames.set(r.newProvinceCode, r.newProvinceName);
  }
  for (const [old, succ] of successorsOf) {
    const own = succ.indexOf(old);
    if (own > 0) succ.unshift(...succ.splice(own, 1));
  }
  return { rows, successorsOf, newUnits, provinceNames };
}

/**
 * Applies an official conversion table in one transaction, set-based (docs/RESTRUCTURING.md):
 *  1. surviving provinces take their new names; units of new codes are created under their new province;
 *  2. communes keeping their code move under their new province (with their hamlets) and take their new name and kind;
 *  3. every other old commune (and district without communes) passes into its primary successor (absorb);
 *     a split commune's other successors get SPLIT links (figures stay with the hamlets, i.e. the primary);
 *  4. districts left without active units are abolished (they stop counting; ABOLISHED link to the new province);
 *  5. provinces not in the new list pass into the new province that took most of their communes.
 */
export async function applyRestructuring(ctx: Context, input: ApplyRestructuringInput): Promise<RestructuringSummary> {
  if (Buffer.byteLength(input.csv) > MAX_IMPORT_BYTES) throw BadUserInputError.field(['input', 'csv'], `The CSV must be at most ${MAX_IMPORT_BYTES} bytes.`);
  const day = input.effectiveDate;
  const problems = new ProblemList();
  const { rows } = parseMappingCsv(input.csv, problems);
  const list = input.unitsCsv ? parseNewListCsv(input.unitsCsv, problems) : new Map();
  checkEffectiveDate(problems, ['input', 'effectiveDate'], day, []);
  if (rows.length === 0 && problems.empty) problems.add(['input', 'csv'], 'The mapping has no rows.');
  problems.throwIfAny('The mapping cannot be applied; nothing was changed.');
  const p = plan(rows, list);

  return runRestructuring(ctx, !!input.dryRun, async (em) => {
    const summary = RestructuringSummary.empty(day, !!input.dryRun);
    await beginTreeWrite(em);
    const known = await unitsByCodeForChange(em, [...p.successorsOf.keys(), ...p.newUnits.keys(), ...p.provinceNames.keys()]);
    const olds = check(ctx, p, known, day, problems);
    problems.throwIfAny('The mapping cannot be applied; nothing was changed.');
    const touched = [...olds.values()];
    const oldDistrictIds = [...new Set(touched.filter((u) => u.level === UnitLevel.COMMUNE).map((u) => u.parentId!))];
    const oldProvinceIds = [...new Set(touched.map((u) => Number(u.path.split('.')[0])))];
    await refuseEarlierThanRecorded(em, touched.map((u) => u.id), [...p.provinceNames.keys()].map((c) => known.get(c)!.id), day, ['input', 'effectiveDate']);

    // 1. provinces renamed; new units created
    const provinces = new Map([...p.provinceNames.keys()].map((c) => [c, known.get(c)!]));
    summary.renamed += await renameAt(em, [...p.provinceNames].map(([c, name]) => ({ unitId: provinces.get(c)!.id, name, kind: kindFromName(name) || provinces.get(c)!.kind })), day);
    const fresh = [...p.newUnits].filter(([code]) => !known.has(code));
    await insertUnitsBulk(em, fresh.map(([code, u]) => ({ code, name: u.name, kind: u.kind, level: UnitLevel.COMMUNE, parentCode: u.provinceCode, row: u.row })), day);
    const all = await unitsByCodeForChange(em, [...p.newUnits.keys(), ...p.provinceNames.keys()]);
    await openNewUnits(em, fresh.map(([code]) => all.get(code)!.id), day);
    summary.created += fresh.length;

    // 2. communes keeping their code: under their new province, with their new name
    const survivors = [...p.newUnits].filter(([code]) => known.has(code));
    summary.moved += await reparentAt(em, survivors.filter(([code, u]) => known.get(code)!.parentId !== provinces.get(u.provinceCode)!.id)
      .map(([code, u]) => ({ unitId: known.get(code)!.id, parentId: provinces.get(u.provinceCode)!.id })), day);
    summary.renamed += await renameAt(em, survivors.map(([code, u]) => ({ unitId: known.get(code)!.id, name: u.name, kind: u.kind })), day);

    // 3. the other old units pass into their primary successor; splits leave links to the others
    const links: LineageLink[] = [];
    const handovers: { fromId: number; toId: number }[] = [];
    for (const [oldCode, succ] of p.successorsOf) {
      const from = olds.get(oldCode)!;
      const primary = all.get(succ[0])!;
      const split = succ.length > 1;
      if (primary.id !== from.id) handovers.push({ fromId: from.id, toId: primary.id });
      succ.forEach((code, i) => {
        const to = all.get(code)!;
        if (to.id !== from.id) links.push({ predecessorId: from.id, successorId: to.id, kind: split ? LineageKind.SPLIT : LineageKind.MERGED, carriesFigures: i === 0 });
      });
    }
    await absorb(ctx, em, handovers, day, summary, links);

    // 4. districts emptied by the change are abolished
    const emptied = await emptiedUnits(em, oldDistrictIds);
    summary.retired += await closeAt(em, emptied, day);
    const provinceOfDistrict = majority(touched.filter((u) => u.level === UnitLevel.COMMUNE), (u) => u.parentId!, (u) => provinceFor(p, u.code));
    const abolished = emptied.map((id) => ({ predecessorId: id, successorId: provinces.get(provinceOfDistrict.get(id)!)!.id, kind: LineageKind.ABOLISHED, carriesFigures: false }));
    await insertLineage(em, abolished, day);
    summary.lineageLinks += abolished.length;

    // 5. provinces not in the new list pass into the province that took most of their communes
    const newProvinceIds = new Set([...provinces.values()].map((u) => u.id));
    const provinceTarget = majority(touched, (u) => Number(u.path.split('.')[0]), (u) => provinceFor(p, u.code));
    const gone = oldProvinceIds.filter((id) => !newProvinceIds.has(id));
    await absorb(ctx, em, gone.map((id) => ({ fromId: id, toId: provinces.get(provinceTarget.get(id)!)!.id })), day, summary,
      gone.map((id) => ({ predecessorId: id, successorId: provinces.get(provinceTarget.get(id)!)!.id, kind: LineageKind.MERGED, carriesFigures: true })));
    await audit(em, ctx, [{ action: 'unit.restructure', objectType: 'Unit', unitPath: null, after: { ...summary, rows: rows.length } }]);
    return summary;
  });
}

const provinceFor = (p: Plan, oldCode: string): string => p.newUnits.get(p.successorsOf.get(oldCode)![0])!.provinceCode;

/** For each group key, the value most of its members map to (ties: the smallest value). */
function majority<T>(items: readonly T[], group: (t: T) => number, value: (t: T) => string): Map<number, string> {
  const counts = new Map<number, Map<string, number>>();
  for (const t of items) {
    const g = counts.get(group(t)) ?? new Map<string, number>();
    g.set(value(t), (g.get(value(t)) ?? 0) + 1);
    counts.set(group(t), g);
  }
  return new Map([...counts].map(([k, g]) => [k, [...g].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]]));
}

/** Every row's units must exist, be of the right level, still active, and lie where the caller may restructure. */
function check(ctx: Context, p: Plan, known: Map<string, UnitRow>, day: string, problems: ProblemList): Map<string, UnitRow> {
  const olds = new Map<string, UnitRow>();
  const may = (u: UnitRow) => allowed(ctx, 'import', 'Unit', { path: u.path }) && allowed(ctx, 'retire', 'Unit', { path: u.path });
  for (const r of p.rows) {
    const old = known.get(r.oldCode);
    const want = r.oldIsDistrict ? UnitLevel.DISTRICT : UnitLevel.COMMUNE;
    if (!old) problems.add(['input', 'csv'], `Row ${r.row}: no unit has the old code ${r.oldCode}.`, r.row);
    else if (old.level !== want) problems.add(['input', 'csv'], `Row ${r.row}: ${r.oldCode} is a ${old.level}, not a ${want}.`, r.row);
    else if (old.validTo !== null) problems.add(['input', 'csv'], `Row ${r.row}: unit ${r.oldCode} is already retired.`, r.row);
    else if (!may(old)) problems.add(['input', 'csv'], `Row ${r.row}: unit ${r.oldCode} lies outside the part of the tree you may restructure.`, r.row);
    else olds.set(r.oldCode, old);
    const target = known.get(r.newCode);
    if (target && target.level !== UnitLevel.COMMUNE) problems.add(['input', 'csv'], `Row ${r.row}: ${r.newCode} is a ${target.level}, not a COMMUNE.`, r.row);
    if (target && target.validTo !== null) problems.add(['input', 'csv'], `Row ${r.row}: the successor ${r.newCode} is retired.`, r.row);
    if (target && !(p.successorsOf.get(r.newCode) ?? [r.newCode]).includes(r.newCode)) {
      problems.add(['input', 'csv'], `Row ${r.row}: unit ${r.newCode} is a successor but is itself mapped away.`, r.row);
    }
    const province = known.get(r.newProvinceCode);
    if (!province || province.level !== UnitLevel.PROVINCE) problems.add(['input', 'csv'], `Row ${r.row}: no province has the code ${r.newProvinceCode}.`, r.row);
    else if (!may(province)) problems.add(['input', 'csv'], `Row ${r.row}: province ${r.newProvinceCode} lies outside the part of the tree you may restructure.`, r.row);
  }
  checkEffectiveDate(problems, ['input', 'effectiveDate'], day, [...olds.values()]);
  return olds;
}
