// How much of a step's freed output arrays the native backend keeps for the next step.
import { poolLimitBytes } from '../../src/engine/backends/native/backend.js';

describe('native backend pool limit', () => {
  const GiB = 2 ** 30;
  it('is a quarter of RAM by default', () => {
    expect(poolLimitBytes({}, 24 * GiB)).toBe(6 * GiB);
    expect(poolLimitBytes({ GRADFLOW_POOL_MB: '' }, 8 * GiB)).toBe(2 * GiB);
  });
  it('takes GRADFLOW_POOL_MB when it is a number of MiB, 0 turning pooling off', () => {
    expect(poolLimitBytes({ GRADFLOW_POOL_MB: '1024' }, 24 * GiB)).toBe(GiB);
    expect(poolLimitBytes({ GRADFLOW_POOL_MB: '0' }, 24 * GiB)).toBe(0);
    expect(poolLimitBytes({ GRADFLOW_POOL_MB: 'lots' }, 24 * GiB)).toBe(6 * GiB);
  });
});
