/**
 * Where the real services for integration tests are. `.ci/services.sh` starts them and sets the
 * variables; locally, set them yourself or let the suites skip. With `CI=true` (or
 * `PLAID_FACADE_REQUIRE_SERVICES=1`) a missing service fails the run instead of skipping it.
 */
export type ServiceName = 'redis' | 'redisCluster' | 'postgres';

const variables: Record<ServiceName, string> = {
  redis: 'PLAID_FACADE_REDIS_URL',
  // Comma-separated host:port of a 3-master Redis Cluster's nodes.
  redisCluster: 'PLAID_FACADE_REDIS_CLUSTER_NODES',
  postgres: 'PLAID_FACADE_PG_URL',
};

/** True when a missing service must fail the run rather than skip. */
export const servicesRequired = process.env.CI === 'true' || process.env.PLAID_FACADE_REQUIRE_SERVICES === '1';

/**
 * The URL of a service, or `undefined` after printing why its suite is skipped. Throws when the
 * service is missing and services are required.
 */
export function serviceUrl(name: ServiceName, suite: string): string | undefined {
  const variable = variables[name];
  const url = process.env[variable];
  if (url) return url;
  const reason = `${suite}: skipped, ${variable} is not set (no ${name} server; \`source .ci/services.sh\` starts one and sets it)`;
  if (servicesRequired) throw new Error(`${reason} — but CI=true requires it`);
  console.warn(reason);
  return undefined;
}

/**
 * The start-up nodes of the Redis Cluster (for `new Cluster(nodes)`), or `undefined` after printing
 * why its suite is skipped; throws like {@link serviceUrl} when services are required.
 */
export function redisClusterNodes(suite: string): Array<{ host: string; port: number }> | undefined {
  const nodes = serviceUrl('redisCluster', suite);
  if (nodes === undefined) return undefined;
  return nodes.split(',').map((node) => {
    const [host = '127.0.0.1', port = ''] = node.trim().split(':');
    return { host, port: Number(port) };
  });
}
