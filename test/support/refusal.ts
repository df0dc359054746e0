import { expect } from 'vitest';
import { InvalidArgumentError } from '../../src/index.js';

/**
 * Runs what should throw `InvalidArgumentError` at once (bad options, bad input) and returns the
 * error for the test to read; fails the test when it throws something else or nothing.
 */
export function refusal(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected InvalidArgumentError, nothing was thrown');
}
