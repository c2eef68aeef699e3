import { describe, expect, it } from 'vitest';
import { demuxDockerLogs, mapCreateBody, mapDockerEvent, mapFinalState } from './map-docker.ts';
import type { ContainerSpec } from '../../plan/plan.ts';

const spec: ContainerSpec = {
  name: 'app',
  workload: 'hog',
  image: 'oomlab/hog:latest',
  command: ['hog', '--alloc', '10m'],
  env: { A: '1' },
  network: 'none',
  servicePortEnv: null,
  load: null,
  requested: { memory: 64 * 1024 ** 2, memorySwap: -1, oomScoreAdj: -500, oomKillDisable: true, cpus: 0.5, cgroupParent: '/mine' },
};
const labels = { runId: 'r1', scenario: 's', variant: 'v', harnessPid: 42 };

describe('mapCreateBody', () => {
  it('maps every flag to the Engine API and labels the container', () => {
    const body = mapCreateBody(spec, { labels, cgroupParent: null, omit: [] });
    expect(body).toMatchObject({
      Image: 'oomlab/hog:latest',
      Cmd: ['hog', '--alloc', '10m'],
      Env: ['A=1'],
      Labels: { 'oomlab.run': 'r1', 'oomlab.scenario': 's', 'oomlab.container': 'app', 'oomlab.harness-pid': '42' },
      HostConfig: { Memory: 67108864, MemorySwap: -1, OomScoreAdj: -500, OomKillDisable: true, NanoCpus: 500_000_000, CgroupParent: '/mine', NetworkMode: 'none' },
    });
  });

  it('puts containers under the stand-in host and leaves out refused settings', () => {
    const body = mapCreateBody(spec, { labels, cgroupParent: '/oomlab/vh-1', omit: ['oomScoreAdj'] }) as { HostConfig: Record<string, unknown> };
    expect(body.HostConfig.CgroupParent).toBe('/oomlab/vh-1');
    expect(body.HostConfig).not.toHaveProperty('OomScoreAdj');
  });
});

describe('mapDockerEvent', () => {
  it('maps die with its exit code and drops exec events', () => {
    expect(mapDockerEvent({ Type: 'container', Action: 'die', Actor: { ID: 'abc', Attributes: { exitCode: '137' } }, timeNano: 1_700_000_000_123_000_000 })).toEqual({
      id: 'abc',
      action: 'die',
      exitCode: 137,
      signal: null,
      timeMs: 1_700_000_000_123,
    });
    expect(mapDockerEvent({ Type: 'container', Action: 'oom', Actor: { ID: 'abc' } })?.action).toBe('oom');
    expect(mapDockerEvent({ Type: 'container', Action: 'exec_start: sh', Actor: { ID: 'abc' } })).toBeNull();
    expect(mapDockerEvent({ Type: 'network', Action: 'connect', Actor: { ID: 'n' } })).toBeNull();
  });
});

describe('mapFinalState', () => {
  it('has no exit code while running', () => {
    expect(mapFinalState({ Running: true, ExitCode: 0, OOMKilled: false })).toEqual({ running: true, exitCode: null, oomKilled: false, error: null });
    expect(mapFinalState({ Running: false, ExitCode: 137, OOMKilled: true, Error: '' })).toEqual({ running: false, exitCode: 137, oomKilled: true, error: null });
  });
});

describe('demuxDockerLogs', () => {
  it('splits the multiplexed stream', () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    expect(demuxDockerLogs(Buffer.concat([frame(1, 'out1\n'), frame(2, 'err\n'), frame(1, 'out2\n')]))).toEqual({ stdout: 'out1\nout2\n', stderr: 'err\n' });
  });
});
