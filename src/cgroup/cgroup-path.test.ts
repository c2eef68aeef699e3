import { describe, expect, it } from 'vitest';
import { containerIdFromCgroupPath, isWithin, locateCgroup, parseCgroupMounts, parseProcCgroup } from './cgroup-path.ts';

const id = 'eeefacbab7fb193590aaa114be5c18f7bfd581b6077fede7d8323a52f48737f8';

describe('containerIdFromCgroupPath', () => {
  it.each([
    [`/docker/${id}`],
    [`/vhost/${id}`],
    [`/system.slice/docker-${id}.scope`],
    [`/kubepods/burstable/pod1b2c3d4e-0000-1111-2222-333344445555/${id}`],
    [`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1b2c.slice/cri-containerd-${id}.scope`],
    [`/docker/${id}/nested`],
  ])('finds the id in %s', (path) => {
    expect(containerIdFromCgroupPath(path)).toBe(id);
  });
  it('finds none in a plain cgroup', () => {
    expect(containerIdFromCgroupPath('/process_api/b96415b64476d5734475dc546a6ae88a/ceo-probe')).toBeNull();
  });
});

describe('isWithin', () => {
  it('knows ancestors from look-alike siblings', () => {
    expect(isWithin('/vhost/abc', '/vhost')).toBe(true);
    expect(isWithin('/vhost', '/vhost')).toBe(true);
    expect(isWithin('/vhost2/abc', '/vhost')).toBe(false);
  });
});

describe('cgroup location', () => {
  const v1Mountinfo = [
    '30 25 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory',
    '31 25 0:27 / /sys/fs/cgroup/pids rw,relatime shared:10 - cgroup cgroup rw,pids',
    '32 25 0:28 / /sys/fs/cgroup/cpu rw,relatime shared:11 - cgroup cgroup rw,cpu',
    '33 25 0:29 / /sys/fs/cgroup/unified rw,relatime shared:12 - cgroup2 cgroup2 rw',
  ].join('\n');

  it('maps a v1 container', () => {
    const mounts = parseCgroupMounts(v1Mountinfo);
    expect(mounts.version).toBe(1);
    const proc = parseProcCgroup(`8:pids:/docker/${id}\n4:memory:/docker/${id}\n1:cpu:/docker/${id}\n0::/\n`);
    expect(locateCgroup(mounts, proc)).toEqual({
      version: 1,
      memoryPath: `/docker/${id}`,
      memoryDir: `/sys/fs/cgroup/memory/docker/${id}`,
      pidsDir: `/sys/fs/cgroup/pids/docker/${id}`,
      cpuDir: `/sys/fs/cgroup/cpu/docker/${id}`,
    });
  });

  it('maps a v2 container', () => {
    const mounts = parseCgroupMounts('25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate');
    expect(mounts.version).toBe(2);
    const location = locateCgroup(mounts, parseProcCgroup(`0::/system.slice/docker-${id}.scope\n`));
    expect(location?.memoryDir).toBe(`/sys/fs/cgroup/system.slice/docker-${id}.scope`);
  });
});
