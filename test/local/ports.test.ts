// Compile-time checks (tsc --noEmit): real SDK clients and the emulators both satisfy the ports.
import { EventBridge } from '@aws-sdk/client-eventbridge';
import { Glue } from '@aws-sdk/client-glue';
import { LakeFormation } from '@aws-sdk/client-lakeformation';
import { S3 } from '@aws-sdk/client-s3';
import { SFN } from '@aws-sdk/client-sfn';
import type { EventBridgePort, GluePort, LakeFormationPort, S3Port, SfnPort } from '../../src/aws/ports';
import type { Services } from '../../src/aws/services';
import type { LocalEventBridge } from '../../src/local/events';
import type { LocalGlue } from '../../src/local/glue';
import type { LocalLakeFormation } from '../../src/local/lakeformation';
import type { LocalS3 } from '../../src/local/s3';
import type { LocalServices } from '../../src/local/services';
import type { LocalSfn } from '../../src/local/sfn';

type Satisfies<T, _U extends T> = true;

describe('ports', () => {
  it('are satisfied by real SDK v3 clients', () => {
    const region = 'us-east-1';
    const s3: S3Port = new S3({ region });
    const glue: GluePort = new Glue({ region });
    const lf: LakeFormationPort = new LakeFormation({ region });
    const sfn: SfnPort = new SFN({ region });
    const events: EventBridgePort = new EventBridge({ region });
    expect([s3, glue, lf, sfn, events].every(Boolean)).toBe(true);
  });

  it('are satisfied by the emulators (checked by the compiler)', () => {
    const checks: [
      Satisfies<S3Port, LocalS3>,
      Satisfies<GluePort, LocalGlue>,
      Satisfies<LakeFormationPort, LocalLakeFormation>,
      Satisfies<SfnPort, LocalSfn>,
      Satisfies<EventBridgePort, LocalEventBridge>,
      Satisfies<Services, LocalServices>,
    ] = [true, true, true, true, true, true];
    expect(checks).toHaveLength(6);
  });
});
