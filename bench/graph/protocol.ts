/** Messages between the graph benchmark and its backend child process (backend.ts). */

export interface SystemCallCounts {
  calls: number;
  byRoute: Record<string, number>;
  inFlight: number;
  /** Most calls being answered at once since the last reset. */
  maxInFlight: number;
}

export type SystemsCallCounts = Record<string, SystemCallCounts>;

export type BackendMessage =
  | { type: 'ready'; subgraphUrls: Record<string, string>; dossierIds: string[]; targetGroupSize: number; registerSize: number }
  | { type: 'stats'; id: number; systems: SystemsCallCounts }
  | { type: 'resetStats'; id: number };

export type ParentMessage = { type: 'stats'; id: number } | { type: 'resetStats'; id: number } | { type: 'stop' };
