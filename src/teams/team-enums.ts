import { registerEnumType } from 'type-graphql';

export enum TeamKind {
  POLICE = 'POLICE',
  YOUTH_UNION = 'YOUTH_UNION',
  COMMUNITY_DIGITAL_TEAM = 'COMMUNITY_DIGITAL_TEAM',
  WOMEN_UNION = 'WOMEN_UNION',
  VETERANS_ASSOCIATION = 'VETERANS_ASSOCIATION',
  OFFICIALS = 'OFFICIALS',
  OTHER = 'OTHER',
}

export enum AssignmentStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
}

/** Statuses of work still to do: a member responsible for one cannot be removed. */
export const OPEN_STATUSES = [AssignmentStatus.PLANNED, AssignmentStatus.IN_PROGRESS];

registerEnumType(TeamKind, {
  name: 'TeamKind',
  description: 'Who staffs a field team (tổ công tác).',
  valuesConfig: {
    POLICE: { description: 'Công an (commune or hamlet police).' },
    YOUTH_UNION: { description: 'Đoàn thanh niên (youth union).' },
    COMMUNITY_DIGITAL_TEAM: { description: 'Tổ công nghệ số cộng đồng (community digital-technology team).' },
    WOMEN_UNION: { description: 'Hội phụ nữ (women union).' },
    VETERANS_ASSOCIATION: { description: 'Hội cựu chiến binh (veterans association).' },
    OFFICIALS: { description: 'Cán bộ (officials of the commune or hamlet).' },
    OTHER: { description: 'Any other mass organisation or volunteers.' },
  },
});

registerEnumType(AssignmentStatus, {
  name: 'AssignmentStatus',
  description: 'Life cycle of an assignment: PLANNED → IN_PROGRESS → DONE, or CANCELLED.',
  valuesConfig: {
    PLANNED: { description: 'Assigned, not started.' },
    IN_PROGRESS: { description: 'The team is working on it.' },
    DONE: { description: 'Finished, with an outcome note (completeAssignment).' },
    CANCELLED: { description: 'Called off (also when the team is disbanded).' },
  },
});
