// The IAM request behind each call a principal makes on the local lake: the action and the resource
// ARNs IAM authorises it on (Service Authorization Reference). Every port a local principal holds is
// wrapped so its calls are logged; test/cloud/iam-simulation.test.ts simulates the logged calls of
// each role against the policies of the packaged template (docs/permissions.md, "IAM").
import { LOCAL_ACCOUNT, LOCAL_REGION } from './s3';

export interface IamCall {
  /** the caller's role ARN */
  principal: string;
  /** e.g. `s3:GetObject` */
  action: string;
  /** the ARNs IAM checks the action on (each must be allowed) */
  resources: string[];
  /** condition keys the request carries (e.g. `s3:prefix` of a listing) */
  context?: Record<string, string>;
}

type Input = Record<string, unknown>;

const pascal = (method: string) => method.charAt(0).toUpperCase() + method.slice(1);
const s = (v: unknown) => String(v ?? '').toLowerCase();

const glueArn = (kind: string) => `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${kind}`;
/** Glue checks catalog, database and table ARNs of a table call ("Specifying Glue resource ARNs"). */
const glueTableArns = (database: unknown, table: unknown) => [
  glueArn('catalog'),
  glueArn(`database/${s(database)}`),
  glueArn(`table/${s(database)}/${table === '*' ? '*' : s(table)}`),
];

function s3Call(method: string, i: Input): Omit<IamCall, 'principal'> {
  const object = `arn:aws:s3:::${i.Bucket}/${i.Key}`;
  const versioned = i.VersionId !== undefined ? 'Version' : '';
  switch (method) {
    case 'listObjectsV2':
      return {
        action: 's3:ListBucket',
        resources: [`arn:aws:s3:::${i.Bucket}`],
        context: { 's3:prefix': String(i.Prefix ?? '') },
      };
    case 'getObject':
    case 'headObject':
      return { action: `s3:GetObject${versioned}`, resources: [object] };
    case 'getObjectTagging':
    case 'putObjectTagging':
      return { action: `s3:${pascal(method).replace('Object', `Object${versioned}`)}`, resources: [object] };
    default:
      return { action: `s3:${pascal(method)}`, resources: [object] };
  }
}

function glueCall(method: string, i: Input): Omit<IamCall, 'principal'> {
  const action = `glue:${pascal(method)}`;
  switch (method) {
    case 'getDatabases':
      return { action, resources: [glueArn('catalog'), glueArn('database/*')] };
    case 'getDatabase':
      return { action, resources: [glueArn('catalog'), glueArn(`database/${s(i.Name)}`)] };
    case 'createDatabase':
      return {
        action,
        resources: [glueArn('catalog'), glueArn(`database/${s((i.DatabaseInput as Input)?.Name)}`)],
      };
    case 'getTables':
      return { action, resources: glueTableArns(i.DatabaseName, '*') };
    case 'getTable':
      return { action, resources: glueTableArns(i.DatabaseName, i.Name) };
    case 'createTable':
    case 'updateTable':
      return { action, resources: glueTableArns(i.DatabaseName, (i.TableInput as Input)?.Name) };
    default:
      return { action, resources: [glueArn(`job/${i.JobName}`)] };
  }
}

function sfnCall(method: string, i: Input): Omit<IamCall, 'principal'> {
  const action = `states:${pascal(method)}`;
  if (method === 'startExecution') return { action, resources: [String(i.stateMachineArn)] };
  return { action, resources: [String(i.executionArn)] };
}

const eventBus = (i: Input) =>
  ((i.Entries as Input[] | undefined) ?? []).map(
    (e) => `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${e.EventBusName ?? 'default'}`,
  );

/**
 * IAM's view of one port call; services whose actions take no resource ARN are checked on `*`.
 * Assigning or removing LF-Tags also needs glue:GetDatabase on the database ("Assigning LF-Tags to
 * Data Catalog resources"), checked by Lake Formation although the caller never calls it.
 */
export function iamRequests(service: string, method: string, input: Input): Omit<IamCall, 'principal'>[] {
  switch (service) {
    case 's3':
      // Starting and completing a multipart upload is PutObject on its key ("Multipart upload API and permissions").
      if (method === 'createMultipartUpload' || method === 'completeMultipartUpload')
        return [s3Call('putObject', input)];
      if (method === 'copyObject' || method === 'uploadPartCopy') {
        // CopyObject, UploadPartCopy: PutObject on the target, GetObject (of the version) on the CopySource.
        const [, bucket, key, version] = /^\/?([^/]+)\/([^?]+)(?:\?versionId=(.+))?$/.exec(
          decodeURIComponent(String(input.CopySource ?? '')),
        ) ?? ['', '', '', undefined];
        return [
          s3Call('putObject', input),
          s3Call('getObject', { Bucket: bucket, Key: key, VersionId: version }),
        ];
      }
      return [s3Call(method, input)];
    case 'glue':
      return [glueCall(method, input)];
    case 'sfn':
      return [sfnCall(method, input)];
    case 'events':
      return [{ action: 'events:PutEvents', resources: [...new Set(eventBus(input))] }];
  }
  const call = { action: `${service}:${pascal(method)}`, resources: ['*'] };
  const r = input.Resource as { Table?: Input; TableWithColumns?: Input; Database?: Input } | undefined;
  const database = r?.Table?.DatabaseName ?? r?.TableWithColumns?.DatabaseName ?? r?.Database?.Name;
  if (service === 'lakeformation' && /^(add|remove)LFTags/.test(method) && database !== undefined)
    return [call, glueCall('getDatabase', { Name: database })];
  return [call];
}

/** The distinct IAM requests each principal made, in the order first seen. */
export class IamCallLog {
  private readonly seen = new Map<string, IamCall>();

  record(call: IamCall): void {
    const key = JSON.stringify([call.principal, call.action, call.resources, call.context]);
    if (!this.seen.has(key)) this.seen.set(key, call);
  }

  calls(): IamCall[] {
    return [...this.seen.values()];
  }
}

/** `port` as `principal` holds it: every method call is logged as its IAM request first. */
export function loggedAs<T extends object>(port: T, service: string, principal: string, log: IamCallLog): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      // SDK calls take one input object; emulator-only helpers (localPath, drain) are not AWS calls.
      return (...args: unknown[]) => {
        const [input] = args;
        if (typeof input === 'object' && input !== null)
          for (const r of iamRequests(service, prop, input as Input)) log.record({ principal, ...r });
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
