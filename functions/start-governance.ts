import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import { type StartResult, startOnce } from '../src/aws/start-once';
import { parseTableTarget, triggerKey } from '../src/governance/input';
import { executionName, tableOfKey } from '../src/governance/keys';

/**
 * EventBridge (raw bucket object created/deleted under tables/) → table-governance execution. The
 * name derives from bucket/key/version/event, so a duplicated event starts nothing new.
 */
export const createHandler: HandlerFactory<unknown, StartResult, 'sfn'> = (services) => async (event) => {
  // The rule matches every key under tables/; one that names no table file (tables/db/readme.txt) is
  // ignored, not thrown: a throw would only be retried and dropped.
  const key = triggerKey(event);
  if (key !== undefined && !tableOfKey(key)) return { started: false, reason: `${key}: not a table file` };
  const target = parseTableTarget(event);
  const trigger = target.trigger;
  const name = executionName(
    `${target.database}-${target.table}`,
    trigger?.bucket,
    trigger?.key,
    trigger?.versionId,
    trigger?.etag,
    trigger?.event,
  );
  return startOnce(
    services.sfn,
    services.settings.governTableStateMachineArn,
    name,
    event,
    'duplicate event: execution already exists',
  );
};

export const handler = cloudHandler(createHandler, () => {
  const { SFN } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  return { sfn: new SFN() };
});
