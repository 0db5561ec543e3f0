import { isUnderPath } from '../common/paths';
import type { Context } from '../context';
import { BadUserInputError, ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan, scope, unscoped } from '../common/scoped';
import { cleanText, requiredText } from '../common/text';
import { lockedForUpdate, writeTransaction } from '../common/transaction';
import { lockUnitsUnchanged } from '../units/unit-write.repo';
import { audit } from '../audit/audit';
import { unitsByIds, type UnitRow } from '../units/unit.repo';
import { unitColumns } from '../units/unit.service';
import { UnitLevel } from '../units/unit-level';
import { CampaignStatus } from '../campaigns/campaign-enums';
import { campaignsByIds, metricsOfCampaigns, type CampaignRow } from '../campaigns/campaign.repo';
import { lockCampaign } from '../campaigns/campaign-write.repo';
import { findCampaignRow } from '../campaigns/campaign.service';
import * as repo from './team.repo';
import { insertAssignments, lockTeam, updateAssignmentRow, type AssignmentFields } from './team-write.repo';
import { AssignmentStatus } from './team-enums';
import { manageableTeam, teamReadScope } from './team.service';
import { TeamAssignmentType, TeamType } from './team.types';
import type { AssignTeamInput, CompleteAssignmentInput, ExpectedResultInput, UpdateAssignmentInput } from './team.inputs';

export const MAX_HAMLETS_PER_CALL = 500;
const CLOSED = () => new ConflictError('The campaign is closed and read-only.', { status: CampaignStatus.CLOSED });
const DISBANDED = () => new ConflictError('The team is disbanded and cannot be assigned.', { active: false });

/** The responsible person must be a current member of the team. */
async function checkResponsible(ctx: Context, problems: ProblemList, team: repo.TeamRow, globalId: string): Promise<number> {
  const id = localIdOf('TeamMember', globalId);
  const [m] = id === null ? [] : await repo.membersByIds(ctx.em, [id], teamReadScope(ctx));
  if (!m || m.teamId !== team.id || m.removedAt) {
    problems.add(['input', 'responsibleMemberId'], `The responsible person must be a current member of team "${team.name}".`);
  }
  return id ?? 0;
}

function checkDates(problems: ProblemList, campaign: CampaignRow, startDate: string, dueDate: string): void {
  const period = `${campaign.startDate} – ${campaign.deadline}`;
  if (dueDate < campaign.startDate || dueDate > campaign.deadline) problems.add(['input', 'dueDate'], `dueDate ${dueDate} lies outside the campaign's period (${period}).`);
  if (startDate < campaign.startDate || startDate > campaign.deadline) problems.add(['input', 'startDate'], `startDate ${startDate} lies outside the campaign's period (${period}).`);
  if (dueDate < startDate) problems.add(['input', 'dueDate'], `dueDate ${dueDate} must not be before startDate ${startDate}.`);
}

async function checkExpectedResults(ctx: Context, problems: ProblemList, campaignId: number, input: ExpectedResultInput[]): Promise<repo.ExpectedResult[]> {
  const metrics = new Set((await metricsOfCampaigns(ctx.em, [campaignId], unscoped('metrics of a campaign the caller has just been shown'))).map((m) => m.code));
  const seen = new Set<string>();
  if (input.length > 50) problems.add(['input', 'expectedResults'], 'At most 50 expected results.');
  return input.map((e, i) => {
    const metric = e.metric.trim();
    if (!metrics.has(metric)) problems.add(['input', 'expectedResults', i, 'metric'], `Metric ${metric} is not one of the campaign's metrics.`);
    else if (seen.has(metric)) problems.add(['input', 'expectedResults', i, 'metric'], `Metric ${metric} is listed twice.`);
    seen.add(metric);
    if (!Number.isInteger(e.target) || e.target < 0) problems.add(['input', 'expectedResults', i, 'target'], 'target must be a non-negative integer.');
    return { metric, target: e.target };
  });
}

/** Checks every hamlet with ONE unit query: each must be a hamlet inside the team's unit and the campaign's scope. */
async function checkHamlets(ctx: Context, problems: ProblemList, team: repo.TeamRow, campaign: CampaignRow, hamletIds: string[]): Promise<UnitRow[]> {
  if (hamletIds.length === 0) problems.add(['input', 'hamletIds'], 'Give at least one hamlet.');
  if (hamletIds.length > MAX_HAMLETS_PER_CALL) throw BadUserInputError.field(['input', 'hamletIds'], `At most ${MAX_HAMLETS_PER_CALL} hamlets per call.`);
  const ids = hamletIds.map((g) => localIdOf('Unit', g));
  const known = [...new Set(ids.filter((i): i is number => i !== null))];
  const rows = new Map((await unitsByIds(ctx.em, known, scope(ctx, 'read', 'Unit', unitColumns))).map((r) => [r.id, r]));
  const seen = new Set<number>();
  ids.forEach((id, i) => {
    const at = ['input', 'hamletIds', i];
    const row = id === null ? undefined : rows.get(id);
    if (!row) return problems.add(at, `input.hamletIds.${i}: unit ${hamletIds[i]} was not found.`);
    if (seen.has(row.id)) return problems.add(at, `input.hamletIds.${i}: ${row.name} is named twice.`);
    seen.add(row.id);
    if (row.level !== UnitLevel.HAMLET) problems.add(at, `input.hamletIds.${i}: ${row.name} is a ${row.level}, not a hamlet.`);
    else if (!isUnderPath(row.path, team.unitPath)) problems.add(at, `input.hamletIds.${i}: ${row.name} lies outside the team's unit.`);
    else if (!isUnderPath(row.path, campaign.scopePath)) problems.add(at, `input.hamletIds.${i}: ${row.name} lies outside the campaign's scope.`);
    else if (row.validTo) problems.add(at, `input.hamletIds.${i}: ${row.name} is retired.`);
  });
  return ids.flatMap((id) => (id !== null && rows.has(id) ? [rows.get(id)!] : []));
}

export async function assignTeam(ctx: Context, input: AssignTeamInput): Promise<{ team: TeamType; assignments: TeamAssignmentType[] }> {
  const team = await manageableTeam(ctx, input.teamId, 'teamId').catch((e: unknown) => {
    if (e instanceof ConflictError) throw DISBANDED();
    throw e;
  });
  const campaignId = localIdOf('Campaign', input.campaignId);
  const campaign = campaignId === null ? null : await findCampaignRow(ctx, campaignId);
  if (!campaign) throw new NotFoundError('Campaign (campaignId)', input.campaignId);
  if (campaign.status === CampaignStatus.CLOSED) throw CLOSED();
  const problems = new ProblemList();
  const hamlets = await checkHamlets(ctx, problems, team, campaign, input.hamletIds);
  const hamletIds = hamlets.map((h) => h.id);
  const task = requiredText(problems, ['input', 'task'], input.task, 2000);
  const responsibleMemberId = await checkResponsible(ctx, problems, team, input.responsibleMemberId);
  checkDates(problems, campaign, input.startDate, input.dueDate);
  const expectedResults = await checkExpectedResults(ctx, problems, campaign.id, input.expectedResults);
  problems.throwIfAny('The assignment is invalid; nothing was assigned.');

  const rows = await writeTransaction(ctx, async (em) => {
    if (!(await lockTeam(em, team.id, 'share'))?.active) throw DISBANDED();
    const locked = await lockCampaign(em, campaign.id, 'share');
    if (!locked || locked.status === CampaignStatus.CLOSED) throw CLOSED();
    await lockUnitsUnchanged(em, hamlets);
    const [m] = await repo.membersByIds(em, [responsibleMemberId], unscoped('re-check inside the write of a member already checked visible'));
    if (!m || m.removedAt) throw new ConflictError('The responsible member has just left the team.');
    const created = await insertAssignments(em, {
      teamId: team.id, campaignId: campaign.id, hamletIds, task, responsibleMemberId, startDate: input.startDate, dueDate: input.dueDate, expectedResults,
    });
    await audit(em, ctx, created.map((a) => ({
      action: 'team.assign', objectType: 'TeamAssignment', objectId: a.id, unitPath: a.hamletPath,
      after: { teamId: team.id, campaignId: campaign.id, hamletId: a.hamletId, task, responsibleMemberId, startDate: a.startDate, dueDate: a.dueDate, expectedResults },
    })));
    return created;
  });
  return { team: TeamType.from(team), assignments: rows.map(TeamAssignmentType.from) };
}

/** Manageable (FORBIDDEN) → still open (CONFLICT): checked early, and again on the locked row. */
function checkOpen(ctx: Context, row: repo.AssignmentRow): void {
  ensureCan(ctx, 'manage', 'Team', { path: row.teamPath, id: row.teamId }, 'You may only manage assignments of teams inside your own jurisdiction.');
  if (row.status === AssignmentStatus.DONE || row.status === AssignmentStatus.CANCELLED) {
    throw new ConflictError(`The assignment is ${row.status} and can no longer change.`, { status: row.status });
  }
}

/** Visible (NOT_FOUND) → manageable → open, campaign not closed: the early answer, before any work. */
async function openAssignment(ctx: Context, globalId: string): Promise<{ row: repo.AssignmentRow; campaign: CampaignRow; team: repo.TeamRow }> {
  const id = localIdOf('TeamAssignment', globalId);
  const [row] = id === null ? [] : await repo.assignmentsByIds(ctx.em, [id], teamReadScope(ctx));
  if (!row) throw new NotFoundError('Assignment', globalId);
  checkOpen(ctx, row);
  const [campaign] = await campaignsByIds(ctx.em, [row.campaignId], unscoped('status of the campaign of an assignment the caller manages; not returned'));
  if (campaign.status === CampaignStatus.CLOSED) throw CLOSED();
  const [team] = await repo.teamsByIds(ctx.em, [row.teamId], unscoped('the team of an assignment the caller manages'));
  return { row, campaign, team };
}

/**
 * Writes an assignment change: the row is locked and checked again in the transaction, and `change` builds the new
 * fields from that locked row (what the input leaves out keeps its current value, and the audit's "before" is it).
 */
async function saveAssignment(
  ctx: Context,
  id: number,
  campaignId: number,
  change: (current: repo.AssignmentRow) => AssignmentFields,
  action: string,
): Promise<TeamAssignmentType> {
  const after = await writeTransaction(ctx, async (em) => {
    const current = await lockedForUpdate(em, repo.ASSIGNMENT_ROWS, id, teamReadScope(ctx));
    checkOpen(ctx, current);
    const locked = await lockCampaign(em, campaignId, 'share');
    if (!locked || locked.status === CampaignStatus.CLOSED) throw CLOSED();
    const fields = change(current);
    const updated = await updateAssignmentRow(em, id, fields);
    const { teamPath: _t, hamletPath: _h, ...before } = current;
    await audit(em, ctx, [{ action, objectType: 'TeamAssignment', objectId: id, unitPath: current.hamletPath, before, after: fields }]);
    return updated;
  });
  return TeamAssignmentType.from(after);
}

export async function updateAssignment(ctx: Context, input: UpdateAssignmentInput): Promise<TeamAssignmentType> {
  const { row, campaign, team } = await openAssignment(ctx, input.id);
  const problems = new ProblemList();
  if (input.status === AssignmentStatus.DONE) problems.add(['input', 'status'], 'Use completeAssignment to mark an assignment DONE (it needs an outcome note).');
  const task = input.task != null ? requiredText(problems, ['input', 'task'], input.task, 2000) : null;
  const responsibleMemberId = input.responsibleMemberId != null ? await checkResponsible(ctx, problems, team, input.responsibleMemberId) : null;
  const expectedResults = input.expectedResults != null ? await checkExpectedResults(ctx, problems, campaign.id, input.expectedResults) : null;
  const merge = (current: repo.AssignmentRow): AssignmentFields => ({
    task: task ?? current.task,
    responsibleMemberId: responsibleMemberId ?? current.responsibleMemberId,
    startDate: input.startDate ?? current.startDate,
    dueDate: input.dueDate ?? current.dueDate,
    expectedResults: expectedResults ?? current.expectedResults,
    status: input.status ?? current.status,
    outcomeNote: current.outcomeNote,
  });
  const checkMerged = (p: ProblemList, fields: AssignmentFields) => {
    if (input.startDate != null || input.dueDate != null) checkDates(p, campaign, fields.startDate, fields.dueDate);
    p.throwIfAny('The change is invalid; nothing was changed.');
    return fields;
  };
  checkMerged(problems, merge(row));
  return saveAssignment(ctx, row.id, campaign.id, (current) => checkMerged(new ProblemList(), merge(current)), 'team.assignment.update');
}

export async function completeAssignment(ctx: Context, input: CompleteAssignmentInput): Promise<TeamAssignmentType> {
  const { row, campaign } = await openAssignment(ctx, input.id);
  const problems = new ProblemList();
  const outcomeNote = requiredText(problems, ['input', 'outcomeNote'], input.outcomeNote, 5000);
  problems.throwIfAny();
  return saveAssignment(ctx, row.id, campaign.id, (current) => ({ ...fieldsOf(current), status: AssignmentStatus.DONE, outcomeNote: cleanText(outcomeNote) }), 'team.assignment.complete');
}

function fieldsOf(r: repo.AssignmentRow): AssignmentFields {
  return { task: r.task, responsibleMemberId: r.responsibleMemberId, startDate: r.startDate, dueDate: r.dueDate, expectedResults: r.expectedResults, status: r.status, outcomeNote: r.outcomeNote };
}
