/** Messages between the graph benchmark and its child processes (systemsChild.ts, subgraphsChild.ts). */

export interface SystemCallCounts {
  calls: number;
  byRoute: Record<string, number>;
  inFlight: number;
  /** Most calls being answered at once since the last reset. */
  maxInFlight: number;
}

export type SystemsCallCounts = Record<string, SystemCallCounts>;

/**
 * Need to know (docs/access.md): who may read a dossier young person: the caseworker the social system
 * names for their open case, and that case's unit, as the `staff_id` and `unit` claims of their token.
 */
export interface DossierCaller {
  id: string;
  unit: string;
  staffId: string;
}

/** The systems' child: ready with their URLs and young people to ask for; answers stats. */
export type SystemsMessage =
  | { type: 'ready'; systemUrls: Record<string, string>; dossierIds: string[]; dossierCallers: DossierCaller[] }
  | { type: 'stats'; id: number; systems: SystemsCallCounts }
  | { type: 'resetStats'; id: number };

/** The subgraphs' child: ready once the screening register is built. */
export type SubgraphsMessage = { type: 'ready'; subgraphUrls: Record<string, string>; targetGroupSize: number; registerSize: number };

/**
 * The national benchmark's subgraph children (partsChild.ts): ready with their URLs; the coordination's
 * child also when its first screening run is over, and answers a run asked for (`screen`).
 */
export type PartsMessage =
  | { type: 'ready'; subgraphUrls: Record<string, string> }
  | { type: 'screened'; id: number; result?: { youths: number; inTargetGroup: number; durationMs: number }; error?: string };

export type ChildMessage = SystemsMessage | SubgraphsMessage | PartsMessage;

export type ParentMessage =
  | { type: 'stats'; id: number }
  | { type: 'resetStats'; id: number }
  | { type: 'screen'; id: number }
  | { type: 'firstScreening'; id: number }
  | { type: 'stop' };
