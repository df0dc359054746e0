/**
 * The zod API every schema here is written with. zod 4's package ships two APIs; the one at
 * `zod/v3` loads in about a sixth of the time of the default one (14 ms against 87 ms here, see
 * docs/performance.md), and the facade pays that on every cold start, before its first call to
 * Plaid. Every schema imports `z` from this file, so moving to another API is a one-line change.
 */
export { z } from 'zod/v3';
