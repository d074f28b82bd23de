// The SDK's own providers read AWS_* from process.env; a CLI run has its own environment (the process's
// when autogov is its own process, another when it runs in a test's process). So what the run's
// environment says is passed to the client explicitly, with the SDK's precedence; what it does not say is
// left to the SDK's defaults (shared config files, instance metadata).

/** An SDK client's region, profile, endpoint and credentials as the run's `env` names them. */
export interface ClientConfig {
  region?: string;
  profile?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * For the service whose SDK id is `serviceId` ('S3', 'CloudFormation', …): --region over AWS_REGION;
 * AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS; the
 * static AWS_ACCESS_KEY_ID pair only when no profile is named (a profile wins over it, as in the SDK).
 */
export function clientConfig(
  env: NodeJS.ProcessEnv,
  serviceId: string,
  o: { region?: string; profile?: string },
): ClientConfig {
  const config: ClientConfig = {};
  const region = o.region ?? env.AWS_REGION;
  if (region) config.region = region;
  const profile = o.profile ?? env.AWS_PROFILE;
  if (profile) config.profile = profile;
  const ignoreEndpoints = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const endpoint = ignoreEndpoints
    ? undefined
    : (env[`AWS_ENDPOINT_URL_${serviceId.toUpperCase().replace(/ /g, '_')}`] ?? env.AWS_ENDPOINT_URL);
  if (endpoint) config.endpoint = endpoint;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!profile && accessKeyId && secretAccessKey)
    config.credentials = {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  return config;
}
