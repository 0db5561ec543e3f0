import { registerEnumType } from 'type-graphql';

export enum MetricGroup {
  PIPELINE = 'PIPELINE',
  CCCD = 'CCCD',
  REASON = 'REASON',
  SERVICE = 'SERVICE',
}

registerEnumType(MetricGroup, {
  name: 'MetricGroup',
  description: 'Family of a metric.',
  valuesConfig: {
    PIPELINE: { description: 'The e-ID account pipeline: collected ≥ approved ≥ activated.' },
    CCCD: { description: 'Citizen ID card (CCCD) applications.' },
    REASON: { description: 'Why people are not yet activated (counts of people per reason).' },
    SERVICE: { description: 'Other Project 06 indicators (online public services, portal accounts…).' },
  },
});
