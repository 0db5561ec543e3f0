import { registerEnumType } from 'type-graphql';

export enum Role {
  SYSTEM_ADMIN = 'SYSTEM_ADMIN',
  ADMIN = 'ADMIN',
  OFFICER = 'OFFICER',
  TEAM_LEADER = 'TEAM_LEADER',
  VIEWER = 'VIEWER',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What a grant lets its holder do, in order of power: SYSTEM_ADMIN > ADMIN > OFFICER > TEAM_LEADER, VIEWER.',
  valuesConfig: {
    SYSTEM_ADMIN: { description: 'Everything, in the whole country.' },
    ADMIN: { description: "Officer powers plus managing units strictly below, campaigns, quotas below, and principals in the unit's subtree." },
    OFFICER: { description: "Viewer powers plus reporting progress and managing field teams in the unit's subtree." },
    TEAM_LEADER: { description: "Reads its team and reports progress for the team's assigned hamlets." },
    VIEWER: { description: "Reads units, campaigns, quotas, progress and teams in the unit's subtree." },
  },
});

/** Power ranks: a principal grants only roles of lower rank than its own (ADMIN may grant ADMIN strictly below). */
export const ROLE_POWER: Record<Role, number> = {
  SYSTEM_ADMIN: 4,
  ADMIN: 3,
  OFFICER: 2,
  TEAM_LEADER: 1,
  VIEWER: 1,
};
