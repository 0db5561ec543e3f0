import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { BadUserInputError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan, unscoped } from '../common/scoped';
import { isUnderPath } from '../common/paths';
import { requiredText } from '../common/text';
import { todayInVietnam } from '../common/scalars';
import { audit } from '../audit/audit';
import { writeTransaction } from '../common/transaction';
import { unitsByIdsOn, type UnitRow } from './unit.repo';
import { insertUnit } from './unit-write.repo';
import { Unit } from './unit.types';
import { checkPlacement, visibleUnit } from './unit.service';
import { checkEffectiveDate, refuseEarlierThanRecorded } from './tree-rules';
import {
  activeChildren, addFixedAt, beginTreeWrite, closeAt, figuresOn, insertLineage, markRetired, openNewUnits, renameAt, reparentAt, reportsFrom,
  type FixedShare,
} from './tree-write.repo';
import { latestRenameAfter } from './lineage.repo';
import { absorb, handOver, runRestructuring } from './restructure-core';
import type { MergeUnitsInput, NewSuccessorInput, RenameUnitInput, SplitUnitInput } from './restructure.inputs';
import { RestructurePayload, RestructuringSummary } from './restructure.types';
import { LineageKind } from './tree.entity';

const CODE_RE = /^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$/;
type FieldPath = (string | number)[];

interface SuccessorSpec {
  existing: UnitRow | null;
  create: { code: string; name: string; kind: string; parent: UnitRow } | null;
  path: FieldPath;
}

/** An existing successor (visible, changeable by the caller) or a new one under a visible parent. */
async function successorSpec(ctx: Context, problems: ProblemList, id: string | null | undefined, spec: NewSuccessorInput | null | undefined, path: FieldPath): Promise<SuccessorSpec> {
  if (!!id === !!spec) {
    problems.add(path, 'Give exactly one of successorId or newSuccessor.');
    return { existing: null, create: null, path };
  }
  if (id) {
    const existing = await visibleUnit(ctx, id, [...path, 'successorId'].join('.'));
    ensureCan(ctx, 'update', 'Unit', { path: existing.path }, 'You may only restructure units strictly below your own unit.');
    if (existing.validTo) problems.add([...path, 'successorId'], `Unit ${existing.code} is retired.`);
    return { existing, create: null, path };
  }
  const parent = await visibleUnit(ctx, spec!.parentId, [...path, 'newSuccessor', 'parentId'].join('.'));
  ensureCan(ctx, 'create', 'Unit', { path: `${parent.path}.0` }, 'You may only create units strictly below your own unit.');
  const code = spec!.code.trim();
  if (!CODE_RE.test(code)) problems.add([...path, 'newSuccessor', 'code'], 'code must be 1–40 letters, digits, "-" or "_".');
  const name = requiredText(problems, [...path, 'newSuccessor', 'name'], spec!.name);
  const kind = requiredText(problems, [...path, 'newSuccessor', 'kind'], spec!.kind, 50).toLowerCase();
  if (parent.validTo) problems.add([...path, 'newSuccessor', 'parentId'], `Unit ${parent.code} is retired.`);
  return { existing: null, create: { code, name, kind, parent }, path };
}

/** The successor's row, creating it (with its first interval from `day`) when new. */
async function materialise(em: EntityManager, s: SuccessorSpec, level: UnitRow['level'], day: string, summary: RestructuringSummary): Promise<UnitRow> {
  if (s.existing) return s.existing;
  const row = await insertUnit(em, { ...s.create!, level, eligibleCitizens: null, validFrom: day });
  await openNewUnits(em, [row.id], day);
  summary.created++;
  return row;
}

function checkSuccessorLevel(problems: ProblemList, s: SuccessorSpec, level: UnitRow['level']): void {
  if (s.existing && s.existing.level !== level) problems.add([...s.path, 'successorId'], `The successor must be a ${level} like the units it replaces.`);
  if (s.create) checkPlacement(problems, level, s.create.parent, [...s.path, 'newSuccessor', 'parentId']);
}

/** Units given to a restructuring must not contain one another, nor the successors' places. */
function checkDisjoint(problems: ProblemList, units: readonly UnitRow[], targets: readonly SuccessorSpec[], path: FieldPath): void {
  for (const a of units) {
    for (const b of units) if (a.id !== b.id && isUnderPath(b.path, a.path)) problems.add(path, `Unit ${b.code} lies inside ${a.code}.`);
    for (const t of targets) {
      const p = t.existing?.path ?? t.create?.parent.path;
      if (p && isUnderPath(p, a.path) && t.existing?.id !== a.id) problems.add(path, `The successor lies inside ${a.code}, which is being retired.`);
    }
  }
}

async function readUnits(em: EntityManager, ids: readonly number[], day: string | null): Promise<Unit[]> {
  const rows = await unitsByIdsOn(em, ids, unscoped('units the restructuring just checked and changed'), day);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [Unit.from(byId.get(id)!)] : []));
}

export async function mergeUnits(ctx: Context, input: MergeUnitsInput): Promise<RestructurePayload> {
  const problems = new ProblemList();
  const day = input.effectiveDate;
  if (input.predecessorIds.length === 0) throw BadUserInputError.field(['input', 'predecessorIds'], 'Name at least one unit to merge.');
  if (new Set(input.predecessorIds).size !== input.predecessorIds.length) problems.add(['input', 'predecessorIds'], 'A unit is named twice.');
  const preds = await Promise.all(input.predecessorIds.map((id, i) => visibleUnit(ctx, id, `predecessorIds[${i}]`)));
  for (const p of preds) ensureCan(ctx, 'retire', 'Unit', { path: p.path }, 'You may only merge units strictly below your own unit.');
  const succ = await successorSpec(ctx, problems, input.successorId, input.newSuccessor, ['input']);
  const level = preds[0].level;
  preds.forEach((p, i) => {
    if (p.level !== level) problems.add(['input', 'predecessorIds', i], 'Merged units must all be of one level.');
    if (p.validTo) problems.add(['input', 'predecessorIds', i], `Unit ${p.code} is already retired.`);
  });
  const away = preds.filter((p) => p.id !== succ.existing?.id);
  if (away.length === 0 || (succ.create && away.length < 2)) problems.add(['input', 'predecessorIds'], 'A merge needs at least two units (one of which may be the existing successor).');
  checkSuccessorLevel(problems, succ, level);
  checkDisjoint(problems, preds, [succ], ['input', 'predecessorIds']);
  checkEffectiveDate(problems, ['input', 'effectiveDate'], day, [...preds, ...(succ.existing ? [succ.existing] : []), ...(succ.create ? [succ.create.parent] : [])]);
  problems.throwIfAny();

  return runRestructuring(ctx, !!input.dryRun, async (em) => {
    const summary = RestructuringSummary.empty(day, !!input.dryRun);
    await beginTreeWrite(em);
    await refuseEarlierThanRecorded(em, away.map((p) => p.id), [succ.existing?.id ?? succ.create!.parent.id], day, ['input', 'effectiveDate']);
    const successor = await materialise(em, succ, level, day, summary);
    await absorb(ctx, em, away.map((p) => ({ fromId: p.id, toId: successor.id })), day, summary,
      away.map((p) => ({ predecessorId: p.id, successorId: successor.id, kind: LineageKind.MERGED, carriesFigures: true })));
    await audit(em, ctx, [
      ...(succ.create ? [{ action: 'unit.create', objectType: 'Unit', objectId: successor.id, unitPath: successor.path, after: successor }] : []),
      ...away.map((p) => ({ action: 'unit.merge', objectType: 'Unit', objectId: p.id, unitPath: p.path, before: { parentId: p.parentId, path: p.path }, after: { successorId: successor.id, effectiveDate: day } })),
    ]);
    return Object.assign(new RestructurePayload(), { summary, successors: await readUnits(em, [successor.id], day), predecessors: await readUnits(em, away.map((p) => p.id), null) });
  });
}

/** Largest-remainder rounding: integer parts of `value` by `shares` that add up to `value` exactly. */
function apportion(value: number, shares: readonly number[]): number[] {
  const raw = shares.map((s) => s * value);
  const out = raw.map(Math.floor);
  let rest = value - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k].i]++;
  return out;
}

export async function splitUnit(ctx: Context, input: SplitUnitInput): Promise<RestructurePayload> {
  const problems = new ProblemList();
  const day = input.effectiveDate;
  const unit = await visibleUnit(ctx, input.id, 'id');
  ensureCan(ctx, 'retire', 'Unit', { path: unit.path }, 'You may only split units strictly below your own unit.');
  if (unit.validTo) problems.add(['input', 'id'], `Unit ${unit.code} is already retired.`);
  if (input.parts.length < 2) throw BadUserInputError.field(['input', 'parts'], 'A split needs at least two parts.');
  const specs = await Promise.all(input.parts.map((p, i) => successorSpec(ctx, problems, p.successorId, p.newSuccessor, ['input', 'parts', i])));
  specs.forEach((s) => checkSuccessorLevel(problems, s, unit.level));
  checkDisjoint(problems, [unit], specs, ['input', 'parts']);
  const byChildren = input.parts.every((p) => p.childIds != null && p.share == null);
  const byShare = input.parts.every((p) => p.share != null && p.childIds == null);
  if (!byChildren && !byShare) problems.add(['input', 'parts'], 'Give childIds for every part, or a share for every part.');
  const childIds = byChildren ? input.parts.map((p, i) => p.childIds!.map((g, j) => {
    const id = localIdOf('Unit', g);
    if (id === null) problems.add(['input', 'parts', i, 'childIds', j], 'Not a valid Unit id.');
    return id ?? 0;
  })) : [];
  if (byShare) {
    input.parts.forEach((p, i) => { if (!(p.share! > 0 && p.share! <= 1)) problems.add(['input', 'parts', i, 'share'], 'A share lies in (0, 1].'); });
    const total = input.parts.reduce((a, p) => a + (p.share ?? 0), 0);
    if (Math.abs(total - 1) > 1e-9) problems.add(['input', 'parts'], `Shares must add up to 1 (they add up to ${total}).`);
  }
  checkEffectiveDate(problems, ['input', 'effectiveDate'], day, [unit, ...specs.flatMap((s) => (s.existing ? [s.existing] : s.create ? [s.create.parent] : []))]);
  problems.throwIfAny();

  return runRestructuring(ctx, !!input.dryRun, async (em) => {
    const summary = RestructuringSummary.empty(day, !!input.dryRun);
    await beginTreeWrite(em);
    await refuseEarlierThanRecorded(em, [unit.id], specs.map((s) => s.existing?.id ?? s.create!.parent.id), day, ['input', 'effectiveDate']);
    const children = await activeChildren(em, [unit.id]);
    const given = childIds.flat();
    if (byChildren) {
      const active = new Set(children.map((c) => c.id));
      const missing = [...active].filter((id) => !given.includes(id));
      if (given.length !== new Set(given).size || given.some((id) => !active.has(id)) || missing.length > 0) {
        throw BadUserInputError.field(['input', 'parts'], `Every active child of ${unit.code} must go to exactly one part (${active.size} active children; ${missing.length} not given).`);
      }
    } else if (children.length > 0) {
      throw BadUserInputError.field(['input', 'parts'], `Unit ${unit.code} has ${children.length} active children: say which part takes each (childIds) instead of shares.`);
    }
    const successors: UnitRow[] = [];
    for (const s of specs) successors.push(await materialise(em, s, unit.level, day, summary));
    if (new Set(successors.map((s) => s.id)).size !== successors.length || successors.some((s) => s.id === unit.id)) {
      throw BadUserInputError.field(['input', 'parts'], 'Each part needs its own successor, other than the split unit.');
    }
    const primary = successors[0];
    if (byChildren) {
      summary.moved += await reparentAt(em, childIds.flatMap((ids, i) => ids.map((id) => ({ unitId: id, parentId: successors[i].id }))), day);
      // The unit itself (its own reports, if any) continues as a retired child of the primary successor.
      summary.moved += await reparentAt(em, [{ unitId: unit.id, parentId: primary.id }], day);
      await markRetired(em, [unit.id], day);
      summary.retired++;
    } else {
      const late = await reportsFrom(em, [unit.id], day);
      if (late.length > 0) throw BadUserInputError.field(['input', 'effectiveDate'], `Unit ${unit.code} has reports dated on or after ${day}; a split by shares carries its figures as of the day before.`);
      const figures = await figuresOn(em, [unit.id], day);
      summary.retired += await closeAt(em, [unit.id], day);
      const shares = input.parts.map((p) => p.share!);
      const rows: FixedShare[] = figures.flatMap((f) => apportion(f.value, shares).map((v, i) => ({ unitId: successors[i].id, metric: f.metric, value: v, reporters: i === 0 ? f.reporters : 0 })));
      await addFixedAt(em, rows.filter((r) => r.value !== 0 || r.reporters !== 0), day);
    }
    await handOver(ctx, em, [{ fromId: unit.id, toId: primary.id }], day, summary);
    await insertLineage(em, successors.map((s, i) => ({ predecessorId: unit.id, successorId: s.id, kind: LineageKind.SPLIT, carriesFigures: true, share: byShare ? input.parts[i].share! : null })), day);
    summary.lineageLinks += successors.length;
    await audit(em, ctx, [
      ...specs.flatMap((s, i) => (s.create ? [{ action: 'unit.create', objectType: 'Unit', objectId: successors[i].id, unitPath: successors[i].path, after: successors[i] }] : [])),
      { action: 'unit.split', objectType: 'Unit', objectId: unit.id, unitPath: unit.path, before: { parentId: unit.parentId, path: unit.path },
        after: { effectiveDate: day, parts: successors.map((s, i) => ({ successorId: s.id, childIds: childIds[i] ?? null, share: input.parts[i].share ?? null })) } },
    ]);
    return Object.assign(new RestructurePayload(), { summary, successors: await readUnits(em, successors.map((s) => s.id), day), predecessors: await readUnits(em, [unit.id], null) });
  });
}

export async function renameUnit(ctx: Context, input: RenameUnitInput): Promise<Unit> {
  const unit = await visibleUnit(ctx, input.id, 'id');
  ensureCan(ctx, 'update', 'Unit', { path: unit.path }, 'You may only rename units strictly below your own unit.');
  const problems = new ProblemList();
  const name = requiredText(problems, ['input', 'name'], input.name);
  const kind = input.kind == null ? unit.kind : requiredText(problems, ['input', 'kind'], input.kind, 50).toLowerCase();
  const day = checkEffectiveDate(problems, ['input', 'effectiveDate'], input.effectiveDate ?? todayInVietnam(), [unit]);
  problems.throwIfAny();
  return writeTransaction(ctx, async (em) => {
    if (await latestRenameAfter(em, unit.id, day)) throw BadUserInputError.field(['input', 'effectiveDate'], `Unit ${unit.code} was renamed after ${day}; a rename cannot be inserted before it.`);
    await renameAt(em, [{ unitId: unit.id, name, kind }], day);
    await audit(em, ctx, [{ action: 'unit.rename', objectType: 'Unit', objectId: unit.id, unitPath: unit.path, before: { name: unit.name, kind: unit.kind }, after: { name, kind, effectiveDate: day } }]);
    return (await readUnits(em, [unit.id], null))[0];
  });
}
