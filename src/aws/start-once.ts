import type { SfnPort } from './ports';

export interface StartResult {
  started: boolean;
  executionArn?: string;
  name?: string;
  reason?: string;
}

/**
 * Starts an execution whose name identifies what it is about, so a repeated event or command
 * converges: when the name is taken (Step Functions keeps names for 90 days) nothing new starts.
 */
export async function startOnce(
  sfn: SfnPort,
  stateMachineArn: string,
  name: string,
  input: unknown,
  duplicateReason: string,
): Promise<StartResult> {
  try {
    const res = await sfn.startExecution({ stateMachineArn, name, input: JSON.stringify(input) });
    return { started: true, executionArn: res.executionArn, name };
  } catch (err) {
    if ((err as { name?: string }).name === 'ExecutionAlreadyExists')
      return { started: false, name, reason: duplicateReason };
    throw err;
  }
}
