import { registerNodeType } from '../common/node';
import { scope } from '../common/scoped';
import { findPrincipalRow } from './principal.service';
import { apiKeyById, grantById, principalColumns } from './principal.repo';
import { ApiKeyNode, GrantNode, PrincipalNode } from './principal.types';

registerNodeType('Principal', async (ctx, id) => {
  const row = await findPrincipalRow(ctx, id);
  return row && PrincipalNode.from(row);
});

registerNodeType('Grant', async (ctx, id) => {
  const row = await grantById(ctx.em, id, scope(ctx, 'read', 'Principal', principalColumns));
  return row && GrantNode.from(row);
});

registerNodeType('ApiKey', async (ctx, id) => {
  const row = await apiKeyById(ctx.em, id, scope(ctx, 'read', 'Principal', principalColumns));
  return row && ApiKeyNode.from(row);
});
