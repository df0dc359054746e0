import { describe, expect, it } from 'vitest';
import { loadClusteredBottleneck, localBottleneck } from '../src/pipeline/rate-limit/bottleneck-builds.js';
import { speedUpLocalLimiter } from '../src/pipeline/rate-limit/bottleneck-local.js';

describe('the bottleneck builds the limiter uses', () => {
  it('keeps in-process limits with the light build, whose internals the speed-up recognises', async () => {
    const limiter = new localBottleneck({ maxConcurrent: 2 });
    // false here means a bottleneck upgrade changed the internals: every job would wait on timers again
    expect(speedUpLocalLimiter(limiter)).toBe(true);
    const results = await Promise.all([1, 2, 3].map((n) => limiter.schedule(async () => n * 2)));
    expect(results).toEqual([2, 4, 6]);
    await limiter.stop({ dropWaitingJobs: true });
  });

  it('loads the full build, with Redis clustering, only when asked', async () => {
    const Clustered = await loadClusteredBottleneck();
    expect(typeof Clustered.IORedisConnection).toBe('function');
    expect(Clustered).not.toBe(localBottleneck);
    expect(await loadClusteredBottleneck()).toBe(Clustered);
  });
});
