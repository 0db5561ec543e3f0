import type { Context } from '../context';
import { BadUserInputError, NotFoundError } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { scope } from '../common/scoped';
import { toKeysetConnection, toKeysetPage } from '../common/pagination';
import { findUnitRow } from '../units/unit.service';
import { principalColumns } from '../principals/principal.repo';
import * as repo from './audit.repo';
import { AuditEntryNode, type AuditLogArgs } from './audit.types';
import { forReader } from './personal-data';

/**
 * Scoped by the entry's unit path (ADMINs read their subtree; SYSTEM_ADMIN reads all, entries without a unit
 * included) and, for an entry about a principal (sign-ins, accounts, grants, keys), by whether the reader may
 * read that principal. Personal data in before/after is redacted for readers who may not see it (personal-data.ts).
 */
const readScope = (ctx: Context): repo.AuditScope => ({
  entries: scope(ctx, 'read', 'AuditEntry', repo.auditColumns),
  principals: scope(ctx, 'read', 'Principal', principalColumns),
});
const node = (ctx: Context) => (row: repo.AuditRow) => AuditEntryNode.from(forReader(ctx, row));

export async function auditLog(ctx: Context, args: AuditLogArgs) {
  const page = toKeysetPage(args, 'audit', ([id]) => (/^\d{1,18}$/.test(id ?? '') ? id : null));
  let unitPath: string | null = null;
  if (args.unitId) {
    const id = localIdOf('Unit', args.unitId);
    const unit = id === null ? null : await findUnitRow(ctx, id);
    if (!unit) throw new NotFoundError('Unit (unitId)', args.unitId);
    unitPath = unit.path;
  }
  let principalId: number | null = null;
  if (args.principalId) {
    principalId = localIdOf('Principal', args.principalId);
    if (principalId === null) throw BadUserInputError.field(['principalId'], 'principalId is not a valid Principal id.');
  }
  const filter: repo.AuditFilter = { unitPath, action: args.action?.trim() || null, principalId, from: args.from, to: args.to };
  const s = readScope(ctx);
  const rows = await repo.listAudit(ctx.em, filter, page, s);
  return toKeysetConnection(rows.map(node(ctx)), page, 'audit', (e) => [e.dbId], () => repo.countAudit(ctx.em, filter, s));
}

export async function findAuditEntry(ctx: Context, id: number): Promise<AuditEntryNode | null> {
  const row = await repo.auditById(ctx.em, id, readScope(ctx));
  return row && node(ctx)(row);
}
