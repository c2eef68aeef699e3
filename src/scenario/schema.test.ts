import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scenarioJsonSchema } from './schema.ts';

describe('scenarios/schema.json', () => {
  it('is generated from the zod schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../scenarios/schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema());
  });

  it('knows every memory flag, for editor completion', () => {
    const schema = scenarioJsonSchema() as { properties: { containers: { additionalProperties: { properties: Record<string, unknown> } } } };
    expect(Object.keys(schema.properties.containers.additionalProperties.properties)).toEqual(
      expect.arrayContaining(['memory', 'memorySwap', 'memoryReservation', 'kernelMemory', 'memorySwappiness', 'oomKillDisable', 'oomScoreAdj', 'cgroupParent', 'pidsLimit', 'cpus', 'sysctls']),
    );
  });
});
