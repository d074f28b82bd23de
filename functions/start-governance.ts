import { cloudHandler } from '../src/aws/cloud';
import type { HandlerFactory } from '../src/aws/services';
import { parseTableTarget } from '../src/governance/input';
import { executionName, tableOfKey } from '../src/governance/keys';

export interface StartResult {
  started: boolean;
  executionArn?: string;
  name?: string;
  reason?: string;
}

/**
 * EventBridge (raw bucket object created/deleted under tables/) → table-governance execution. The
 * name derives from bucket/key/version/event, so a duplicated event starts nothing new.
 */
export const createHandler: HandlerFactory<unknown, StartResult> = (services) => async (event) => {
  const target = parseTableTarget(event);
  const trigger = target.trigger;
  if (trigger && !tableOfKey(trigger.key))
    return { started: false, reason: `${trigger.key}: not a table file` };
  const name = executionName(
    `${target.database}-${target.table}`,
    trigger?.bucket,
    trigger?.key,
    trigger?.versionId,
    trigger?.etag,
    trigger?.event,
  );
  try {
    const res = await services.sfn.startExecution({
      stateMachineArn: services.settings.governTableStateMachineArn,
      name,
      input: JSON.stringify(event),
    });
    return { started: true, executionArn: res.executionArn, name };
  } catch (err) {
    // Same name, same input: Step Functions returns the existing execution; different input throws.
    if ((err as { name?: string }).name === 'ExecutionAlreadyExists')
      return { started: false, name, reason: 'duplicate event: execution already exists' };
    throw err;
  }
};

export const handler = cloudHandler(createHandler);
