import { registerNodeType } from '../common/node';
import { assignmentsByIds, membersByIds } from './team.repo';
import { findTeamRow, memberFrom, teamReadScope } from './team.service';
import { TeamAssignmentType, TeamType } from './team.types';

registerNodeType('Team', async (ctx, id) => {
  const row = await findTeamRow(ctx, id);
  return row && TeamType.from(row);
});

registerNodeType('TeamMember', async (ctx, id) => {
  const [row] = await membersByIds(ctx.em, [id], teamReadScope(ctx));
  return row ? memberFrom(ctx, row) : null;
});

registerNodeType('TeamAssignment', async (ctx, id) => {
  const [row] = await assignmentsByIds(ctx.em, [id], teamReadScope(ctx));
  return row ? TeamAssignmentType.from(row) : null;
});
