import { describe, expect, it } from 'vitest';
import { composeToScenario, parsePressure } from './compose-to-scenario.ts';

const MiB = 1024 ** 2;

const v2 = `
version: "2.4"
services:
  db:
    image: mariadb:11
    command: mariadbd --innodb-buffer-pool-size=256M
    environment: [MARIADB_ROOT_PASSWORD=x, TZ]
    mem_limit: 512m
    memswap_limit: 1g
    mem_reservation: 256m
    mem_swappiness: 0
    oom_kill_disable: false
    oom_score_adj: -500
    cpus: 1.5
    pids_limit: 200
    ports: ["3306:3306"]
    volumes: [data:/var/lib/mysql]
volumes:
  data: {}
`;

const spec = `
services:
  app:
    image: example/app
    command: ["java", "-jar", "app.jar"]
    environment: { JAVA_OPTS: "-Xmx256m" }
    deploy:
      replicas: 2
      resources:
        limits: { memory: 384M, cpus: "0.5" }
        reservations: { memory: 128M }
  built:
    build: .
`;

describe('composeToScenario', () => {
  it('maps the compose file version 2 memory keys faithfully, and warns about the rest', () => {
    const { scenario, warnings } = composeToScenario(v2, { file: 'stack/docker-compose.yml', pressure: { kind: 'hog', bytes: 512 * MiB }, hostEnvironment: { TZ: 'UTC' } });
    expect(scenario.containers!.db).toEqual({
      workload: 'image',
      image: 'mariadb:11',
      command: ['mariadbd', '--innodb-buffer-pool-size=256M'],
      env: { MARIADB_ROOT_PASSWORD: 'x', TZ: 'UTC' },
      memory: 512 * MiB,
      memorySwap: 1024 * MiB,
      memoryReservation: 256 * MiB,
      memorySwappiness: 0,
      oomKillDisable: false,
      oomScoreAdj: -500,
      cpus: 1.5,
      pidsLimit: 200,
    });
    expect(warnings).toEqual(['volumes: ignored (top-level volumes do not change memory behaviour here)', 'services.db.ports: ignored', 'services.db.volumes: ignored']);
    expect(scenario.containers!.pressure).toMatchObject({ workload: 'hog' });
    expect(scenario.host?.virtualHost?.memory).toBe(512 * MiB);
    expect(scenario.until).toBe('first-kill');
  });

  it('maps the Compose Specification deploy.resources, and leaves out services it cannot run', () => {
    const { scenario, warnings } = composeToScenario(spec, { file: 'docker-compose.yml', pressure: { kind: 'service', service: 'app' }, hostMemoryBytes: 600 * MiB });
    expect(scenario.containers!.app).toEqual({
      workload: 'image',
      image: 'example/app',
      command: ['java', '-jar', 'app.jar'],
      env: { JAVA_OPTS: '-Xmx256m' },
      memory: 384 * MiB,
      memoryReservation: 128 * MiB,
      cpus: 0.5,
    });
    expect(scenario.containers!).not.toHaveProperty('pressure');
    expect(scenario.host?.virtualHost?.memory).toBe(600 * MiB);
    expect(warnings).toContain('services.app.deploy.replicas: ignored');
    expect(warnings).toContain('services.built.build: ignored');
    expect(warnings).toContain('services.built: no image (a build: section is not built here); the service is left out');
  });

  it('refuses a pressure service that does not exist', () => {
    expect(() => composeToScenario(spec, { file: 'f.yml', pressure: { kind: 'service', service: 'nope' } })).toThrow(/no such service/);
  });

  it('reads --pressure', () => {
    expect(parsePressure('hog:1g')).toEqual({ kind: 'hog', bytes: 1024 ** 3 });
    expect(parsePressure('db')).toEqual({ kind: 'service', service: 'db' });
  });
});
