import type Bottleneck from 'bottleneck';
import LightBottleneck from 'bottleneck/light.js';

/** The Bottleneck class, from either build. */
export type BottleneckClass = typeof Bottleneck;

/*
 * bottleneck ships two builds of the same classes. The light one (one file, no Redis clustering,
 * native async/await) loads in about a fifth of the time and runs a job about five times faster
 * than the full one (Babel's generator-based async). Limits kept in this process use it; the full
 * build is loaded only when a facade shares its limits through Redis.
 */

/** bottleneck for limits kept in this process. */
export const localBottleneck: BottleneckClass = LightBottleneck;

let clustered: Promise<BottleneckClass> | undefined;
let clusteredClass: BottleneckClass | undefined;

/** Loads bottleneck's full build, with Redis clustering, once. A failed load is tried again next time. */
export function loadClusteredBottleneck(): Promise<BottleneckClass> {
  clustered ??= import('bottleneck').then(
    (module) => {
      // Under `require()` of our CJS build, or ESM's view of a CJS module, the class may sit in `default`.
      const loaded = ((module as { default?: BottleneckClass }).default ?? module) as BottleneckClass;
      clusteredClass = loaded;
      return loaded;
    },
    (error: unknown) => {
      clustered = undefined;
      throw error;
    },
  );
  return clustered;
}

/** Whether `error` is a BottleneckError of either build. */
export function isBottleneckError(error: unknown): error is Error {
  return (
    error instanceof localBottleneck.BottleneckError ||
    (clusteredClass !== undefined && error instanceof clusteredClass.BottleneckError)
  );
}
