import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PrincipalNode } from './principal.types';

@InputType({ description: 'Changes to an account you manage; omitted fields stay as they are, null clears an optional one.' })
export class UpdatePrincipalInput {
  @Field(() => ID, { description: 'Global id of the principal.' })
  principalId!: string;
  @Field(() => String, { nullable: true, description: 'Name shown to people (required: cannot be cleared).' })
  displayName?: string | null;
  @Field(() => String, { nullable: true, description: 'E-mail address; null clears it.' })
  email?: string | null;
  @Field(() => String, { nullable: true, description: 'Phone number; null clears it.' })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: 'What a service account is for; null clears it.' })
  description?: string | null;
  @Field(() => ID, { nullable: true, description: 'New home unit (its administrators manage the account), inside your jurisdiction.' })
  homeUnitId?: string | null;
}

@InputType({ description: "A province's or district's staff as CSV, with their grants." })
export class ImportPrincipalsInput {
  @Field({
    description:
      'CSV with a header row: username, display_name, email, phone, home_unit_code, password, grants. One account per row; ' +
      '`grants` lists roles as ROLE@unit_code separated by ";" (e.g. "OFFICER@20974; VIEWER@517"; a national VIEWER or ' +
      'SYSTEM_ADMIN without @). TEAM_LEADER grants need a team: give them with grantRole. At most 1,000 rows.',
  })
  csv!: string;
  @Field({ nullable: true, description: 'Check every row and report what would be created, without writing (default false).' })
  dryRun?: boolean;
}

@ObjectType({ description: 'Outcome of an account import: all rows or none.' })
export class ImportPrincipalsPayload {
  @Field(() => Int, { description: 'Accounts created (or that would be, on a dry run).' })
  created!: number;
  @Field(() => Int, { description: 'Grants given (or that would be).' })
  grantsCreated!: number;
  @Field({ description: 'True when nothing was written (dryRun).' })
  dryRun!: boolean;
  @Field(() => [PrincipalNode], { description: 'The accounts created, in row order (empty on a dry run).' })
  principals!: PrincipalNode[];
}
