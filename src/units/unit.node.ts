import { registerNodeType } from '../common/node';
import { findUnitRow } from './unit.service';
import { Unit } from './unit.types';

registerNodeType('Unit', async (ctx, id) => {
  const row = await findUnitRow(ctx, id);
  return row && Unit.from(row);
});
