// What a --stage run's SDK clients are given from the run's environment (not the process's), with the
// SDK's own precedence; stage-cli.test.ts runs the commands in-process against moto on it.
import { clientConfig } from '../../src/aws/client-config';

const keys = { AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' };

test('--region over AWS_REGION; the service endpoint over AWS_ENDPOINT_URL; the static key pair', () => {
  const env = {
    ...keys,
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: 'http://a',
    AWS_ENDPOINT_URL_S3: 'http://s3',
  };
  expect(clientConfig(env, 'S3', { region: 'us-east-1' })).toEqual({
    region: 'us-east-1',
    endpoint: 'http://s3',
    credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
  });
  expect(clientConfig({ ...env, AWS_SESSION_TOKEN: 't' }, 'CloudFormation', {})).toEqual({
    region: 'eu-west-1',
    endpoint: 'http://a',
    credentials: { accessKeyId: 'id', secretAccessKey: 'secret', sessionToken: 't' },
  });
});

test('a profile (--profile or AWS_PROFILE) wins over the key pair; unset is left to the SDK', () => {
  expect(clientConfig({ ...keys, AWS_PROFILE: 'env' }, 'Glue', {})).toEqual({ profile: 'env' });
  expect(clientConfig({ ...keys, AWS_PROFILE: 'env' }, 'Glue', { profile: 'flag' })).toEqual({
    profile: 'flag',
  });
  expect(clientConfig({}, 'SFN', {})).toEqual({});
});

test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS drops the configured endpoints', () => {
  const env = { AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
  expect(clientConfig(env, 'LakeFormation', {})).toEqual({});
});
