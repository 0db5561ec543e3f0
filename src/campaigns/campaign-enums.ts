import { registerEnumType } from 'type-graphql';

export enum CampaignStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  CLOSED = 'CLOSED',
}

export enum CountingMode {
  CUMULATIVE = 'CUMULATIVE',
  SINCE_START = 'SINCE_START',
}

export enum AllocationMode {
  STRICT = 'STRICT',
  LENIENT = 'LENIENT',
}

registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'Life cycle of a campaign: DRAFT → ACTIVE → CLOSED.',
  valuesConfig: {
    DRAFT: { description: 'Being prepared: editable, quotas may be assigned.' },
    ACTIVE: { description: 'Running: units report against its quotas.' },
    CLOSED: { description: 'Finished: read-only (every change answers CONFLICT).' },
  },
});

registerEnumType(CountingMode, {
  name: 'CountingMode',
  description: 'How progress on a campaign metric is counted against its quota.',
  valuesConfig: {
    CUMULATIVE: { description: 'The cumulative total reported (all-time figure "as of" a date).' },
    SINCE_START: { description: "Only the growth since the campaign's start date." },
  },
});

registerEnumType(AllocationMode, {
  name: 'AllocationMode',
  description: "How quotas of a metric may be split down the hierarchy.",
  valuesConfig: {
    STRICT: { description: "Children's targets may not add up to more than their parent's target (CONFLICT otherwise)." },
    LENIENT: { description: 'Children may be given more than the parent holds; the parent quota is flagged overAllocated.' },
  },
});
