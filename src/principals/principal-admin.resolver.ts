import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { can, canOnObject } from '../auth/permissions';
import { PrincipalNode } from './principal.types';
import { PrincipalPayload } from './principal.inputs';
import { ImportPrincipalsInput, ImportPrincipalsPayload, UpdatePrincipalInput } from './principal-admin.inputs';
import { updatePrincipal } from './update-principal.service';
import { importPrincipalsCsv } from './import-principals.service';

/** Administrators' account tools: editing an account, onboarding many at once. */
@Resolver(() => PrincipalNode)
export class PrincipalAdminResolver {
  @Authorized(canOnObject('update', 'Principal'))
  @Mutation(() => PrincipalPayload, {
    description: "Change an account's display name, e-mail, phone, description or home unit (inside your jurisdiction; audited).",
  })
  async updatePrincipal(@Ctx() ctx: Context, @Arg('input', { description: 'What to change: see UpdatePrincipalInput.' }) input: UpdatePrincipalInput): Promise<PrincipalPayload> {
    return { principal: await updatePrincipal(ctx, input) };
  }

  @Authorized(can('create', 'Principal'), can('grant', 'Principal'))
  @Mutation(() => ImportPrincipalsPayload, {
    description:
      'Create many accounts with their grants from CSV, all or nothing. Every bad row is reported with its 1-based row number ' +
      '(extensions.problems[].row; the header is row 1) and nothing is written. dryRun: check only.',
  })
  importPrincipals(@Ctx() ctx: Context, @Arg('input', { description: 'The CSV: see ImportPrincipalsInput.' }) input: ImportPrincipalsInput): Promise<ImportPrincipalsPayload> {
    return importPrincipalsCsv(ctx, input.csv, input.dryRun ?? false);
  }
}
