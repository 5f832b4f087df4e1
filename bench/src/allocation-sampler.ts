// What a piece of work allocates on the JavaScript heap, garbage included: V8's sampling heap
// profiler, told to keep samples of objects that scavenges and full GCs already freed. The
// figure is statistical (one sample per `intervalBytes` allocated on average).
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

export interface Allocations {
  /** Bytes allocated while `work` ran (sampled). */
  total: number;
  /** The same by allocating function (`name file:line`, self size). */
  bySite: Map<string, number>;
}

export async function sampleAllocations(
  work: () => Promise<unknown>,
  intervalBytes = 512,
): Promise<Allocations> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: intervalBytes,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    await work();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
      profile: { head: ProfileNode };
    };
    const bySite = new Map<string, number>();
    let total = 0;
    const walk = (node: ProfileNode): void => {
      const { functionName, url, lineNumber } = node.callFrame;
      const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '');
      const site = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      total += node.selfSize;
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    return { total, bySite };
  } finally {
    session.disconnect();
  }
}
