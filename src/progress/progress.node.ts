import { registerNodeType } from '../common/node';
import { scope } from '../common/scoped';
import { historyByIds, reportsByIds } from './progress.repo';
import { ProgressHistoryEntry, ProgressReport } from './progress.types';

const readScope = (ctx: Parameters<Parameters<typeof registerNodeType>[1]>[0]) => scope(ctx, 'read', 'Progress', { path: 'u.path' });

registerNodeType('ProgressReport', async (ctx, id) => {
  const [row] = await reportsByIds(ctx.em, [id], readScope(ctx));
  return row ? ProgressReport.from(row) : null;
});

registerNodeType('ProgressHistoryEntry', async (ctx, id) => {
  const [row] = await historyByIds(ctx.em, [id], readScope(ctx));
  return row ? ProgressHistoryEntry.from(row) : null;
});
