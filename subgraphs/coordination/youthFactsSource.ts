import type { GuidanceClient } from '../kit/systems/guidanceClient.js';
import type { SchoolClient } from '../kit/systems/schoolClient.js';
import type { JobcenterClient } from '../kit/systems/jobcenterClient.js';
import type { SocialClient } from '../kit/systems/socialClient.js';
import type { YouthFacts } from './rules/facts.js';
import { factsFromSystems } from './screening/factsFromSystems.js';

/**
 * Reads one young person's facts straight from the systems, for the checks a mutation must make
 * before it writes (is this young person eligible for a contact person?). A system that is down
 * fails the check with UPSTREAM_UNAVAILABLE: nothing is written on a guess.
 */
export class YouthFactsSource {
  constructor(
    private readonly systems: { guidance: GuidanceClient; school: SchoolClient; jobcenter: JobcenterClient; social: SocialClient },
  ) {}

  /** Null when UU's register does not know the id. */
  async forYouth(youthId: string, today: string, requestId?: string): Promise<YouthFacts | null> {
    const youth = (await this.systems.guidance.findByIds([youthId], requestId)).get(youthId);
    if (!youth) return null;
    const [school, jobcenter, social] = await Promise.all([
      this.systems.school.findPupils([youth.cpr], requestId).then((found) => found.get(youth.cpr) ?? null),
      this.systems.jobcenter.findCitizen(youth.cpr, requestId),
      this.systems.social.findCases(youth.cpr, requestId),
    ]);
    return factsFromSystems({ youth, school, jobcenter, social }, today);
  }
}
