import { Migration20261123000000Units } from './Migration20261123000000Units';
import { Migration20261123000100Access } from './Migration20261123000100Access';
import { Migration20261123000200Metrics } from './Migration20261123000200Metrics';
import { Migration20261123000300RateLimits } from './Migration20261123000300RateLimits';
import { Migration20261123000400LoginSecurity } from './Migration20261123000400LoginSecurity';
import { Migration20261123001000Campaigns } from './Migration20261123001000Campaigns';
import { Migration20261123002000Progress } from './Migration20261123002000Progress';
import { Migration20261123003000Teams } from './Migration20261123003000Teams';
import { Migration20261130000500DataVersion } from './Migration20261130000500DataVersion';
import { Migration20261130001000ProgressWriter } from './Migration20261130001000ProgressWriter';
import { Migration20261130002000DatedTree } from './Migration20261130002000DatedTree';
import { Migration20261130003000GrantUnique } from './Migration20261130003000GrantUnique';
import { Migration20261130004000AuditSubjects } from './Migration20261130004000AuditSubjects';
import { Migration20261130005000LiveFigures } from './Migration20261130005000LiveFigures';
import { Migration20261130006300WriterGenericPlans } from './Migration20261130006300WriterGenericPlans';
import { Migration20261130006400FiguresAfterCommit } from './Migration20261130006400FiguresAfterCommit';
import { Migration20261130007500WriterFewerStatements } from './Migration20261130007500WriterFewerStatements';
import { Migration20261130008000RollupSeriesCovered } from './Migration20261130008000RollupSeriesCovered';
import { Migration20261201000000WriterUnitStamp } from './Migration20261201000000WriterUnitStamp';

/** Migrations in order. Append new ones here (npm run db:migration:create does it). Never edit a landed one. */
export const migrationsList = [
  { name: 'Migration20261123000000Units', class: Migration20261123000000Units },
  { name: 'Migration20261123000100Access', class: Migration20261123000100Access },
  { name: 'Migration20261123000200Metrics', class: Migration20261123000200Metrics },
  { name: 'Migration20261123000300RateLimits', class: Migration20261123000300RateLimits },
  { name: 'Migration20261123000400LoginSecurity', class: Migration20261123000400LoginSecurity },
  { name: 'Migration20261123001000Campaigns', class: Migration20261123001000Campaigns },
  { name: 'Migration20261123002000Progress', class: Migration20261123002000Progress },
  { name: 'Migration20261123003000Teams', class: Migration20261123003000Teams },
  { name: 'Migration20261130000500DataVersion', class: Migration20261130000500DataVersion },
  { name: 'Migration20261130001000ProgressWriter', class: Migration20261130001000ProgressWriter },
  { name: 'Migration20261130002000DatedTree', class: Migration20261130002000DatedTree },
  { name: 'Migration20261130003000GrantUnique', class: Migration20261130003000GrantUnique },
  { name: 'Migration20261130004000AuditSubjects', class: Migration20261130004000AuditSubjects },
  { name: 'Migration20261130005000LiveFigures', class: Migration20261130005000LiveFigures },
  { name: 'Migration20261130006300WriterGenericPlans', class: Migration20261130006300WriterGenericPlans },
  { name: 'Migration20261130006400FiguresAfterCommit', class: Migration20261130006400FiguresAfterCommit },
  { name: 'Migration20261130007500WriterFewerStatements', class: Migration20261130007500WriterFewerStatements },
  { name: 'Migration20261130008000RollupSeriesCovered', class: Migration20261130008000RollupSeriesCovered },
  { name: 'Migration20261201000000WriterUnitStamp', class: Migration20261201000000WriterUnitStamp },
];
