import Docker from 'dockerode';

/**
 * Whether Docker tests can run. In CI (CI=true) a missing engine is a failure, never a skip;
 * elsewhere the tests skip and say why.
 */
export async function requireDocker(): Promise<{ available: boolean; reason: string }> {
  try {
    await new Docker().ping();
    return { available: true, reason: '' };
  } catch (error) {
    const reason = `no Docker engine answers (${(error as Error).message}); run \`npm run lab:setup\``;
    if (process.env.CI) throw new Error(`CI=true and ${reason}: Docker tests must not skip in CI`);
    console.warn(`skipping Docker integration tests: ${reason}`);
    return { available: false, reason };
  }
}

export async function oomlabContainers(filter = 'oomlab.run'): Promise<string[]> {
  const containers = await new Docker().listContainers({ all: true, filters: { label: [filter] } });
  return containers.map((c) => c.Names[0] ?? c.Id);
}
