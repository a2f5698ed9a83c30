/** The own podman store's clean-up unmounts what /proc/self/mountinfo lists under it, deepest first, and nothing else. */
import { expect, it } from 'vitest';
import { mountsUnder } from '../../helpers/own-store.js';

it('lists the mount points under the store (escaped spaces read back), deepest first; a sibling with the same prefix is not under it', () => {
  const mountinfo = [
    '22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw',
    '900 22 0:50 / /tmp/run/store/graph/overlay rw - ext4 /dev/sda1 rw',
    '901 900 0:51 / /tmp/run/store/graph/overlay/ab12/merged rw - overlay overlay rw,lowerdir=x',
    '902 22 0:52 / /tmp/run/store-other/graph/overlay rw - ext4 /dev/sda1 rw',
    '903 22 0:53 / /tmp/run/store/run/a\\040b rw - tmpfs shm rw',
  ].join('\n');
  expect(mountsUnder('/tmp/run/store', mountinfo)).toEqual([
    '/tmp/run/store/graph/overlay/ab12/merged',
    '/tmp/run/store/graph/overlay',
    '/tmp/run/store/run/a b',
  ]);
  expect(mountsUnder('/tmp/run/none', mountinfo)).toEqual([]);
});
