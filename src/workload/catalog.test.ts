import { describe, expect, it } from 'vitest';
import { WORKLOADS, jvmOomKind } from './catalog.ts';
import { findWorkloadSignals } from './workload-output.ts';

describe('JVM output signals', () => {
  const signals = WORKLOADS.jvm!.outputSignals;
  it.each([
    ['Terminating due to java.lang.OutOfMemoryError: Java heap space', 'runtime-oom', 'Java heap space'],
    ['Exception in thread "main" java.lang.OutOfMemoryError: Cannot reserve 262144 bytes of direct buffer memory (allocated: 1, limit: 2)', 'runtime-oom', 'Direct buffer memory'],
    ['Terminating due to java.lang.OutOfMemoryError: Metaspace', 'runtime-oom', 'Metaspace'],
    ['[0.1s][warning][os,thread] Failed to start thread\nException in thread "main" java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached', 'runtime-oom', 'unable to create native thread'],
    ['Error occurred during initialization of VM\nCould not reserve enough space for object heap', 'start-failed', null],
  ])('%s', (output, signal, detail) => {
    const [found] = findWorkloadSignals(output, signals);
    expect(found).toMatchObject({ signal, detail });
  });

  it('names unknown kinds by their message', () => {
    expect(jvmOomKind('Requested array size exceeds VM limit')).toBe('Requested array size exceeds VM limit');
    expect(jvmOomKind(undefined)).toBe('unknown');
  });
});
