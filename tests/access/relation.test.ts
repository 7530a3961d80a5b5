import { describe, expect, it } from 'vitest';
import { relationOf, type RelationCaller, type RelationFacts } from '../../platform/access/relation.js';

const TODAY = '2026-11-01';
const youth = (over: Partial<RelationFacts> = {}): RelationFacts => ({
  birthDate: '2008-05-01',
  counsellor: 'ABN',
  advisorId: null,
  caseworkerIds: [],
  socialUnits: [],
  inEffort: false,
  effortUnits: ['UU'],
  contactPersonId: null,
  ...over,
});
const caller = (role: string, unit: string | null, staffId: string | null = null): RelationCaller => ({
  role,
  unit,
  staffId,
  institution: null,
});

describe('relationOf: need to know per role', () => {
  it('UU: caseload by initials, statutory under 25, nothing at 25 outside the caseload', () => {
    expect(relationOf(caller('uu-counsellor', 'UU', 'ABN'), youth(), TODAY)).toBe('CASELOAD');
    expect(relationOf(caller('uu-counsellor', 'UU', 'BT'), youth(), TODAY)).toBe('STATUTORY');
    expect(relationOf(caller('uu-counsellor', 'UU', 'BT'), youth({ birthDate: '2001-10-31' }), TODAY)).toBeNull();
    expect(relationOf(caller('uu-counsellor', 'UU', 'BT'), youth({ birthDate: '2001-11-02' }), TODAY)).toBe('STATUTORY');
  });
  it('jobcenter: own advisor id, or a coordinated effort the jobcenter takes part in', () => {
    expect(relationOf(caller('jobcenter-advisor', 'JOBCENTER', 'JC-001'), youth({ advisorId: 'JC-001' }), TODAY)).toBe('CASELOAD');
    expect(relationOf(caller('jobcenter-advisor', 'JOBCENTER', 'JC-002'), youth({ advisorId: 'JC-001' }), TODAY)).toBeNull();
    expect(
      relationOf(
        caller('jobcenter-advisor', 'JOBCENTER', 'JC-002'),
        youth({ advisorId: 'JC-001', inEffort: true, effortUnits: ['UU', 'JOBCENTER'] }),
        TODAY,
      ),
    ).toBe('COORDINATED_EFFORT');
    expect(
      relationOf(caller('jobcenter-advisor', 'JOBCENTER', 'JC-002'), youth({ inEffort: true, effortUnits: ['UU'] }), TODAY),
    ).toBeNull();
  });
  it('social: own case, own unit; another family group has none', () => {
    const facts = youth({ caseworkerIds: ['SB-01'], socialUnits: ['FAMILY_GROUP_1'] });
    expect(relationOf(caller('social-caseworker', 'FAMILY_GROUP_2', 'SB-01'), facts, TODAY)).toBe('CASELOAD');
    expect(relationOf(caller('social-caseworker', 'FAMILY_GROUP_1', 'SB-02'), facts, TODAY)).toBe('UNIT');
    expect(relationOf(caller('social-caseworker', 'FAMILY_GROUP_2', 'SB-05'), facts, TODAY)).toBeNull();
  });
  it('contact person: their own assignment, or the contact persons take part in the effort', () => {
    expect(relationOf(caller('contact-person', 'CONTACT_PERSON', 'gkp-a'), youth({ contactPersonId: 'gkp-a' }), TODAY)).toBe(
      'CONTACT_PERSON',
    );
    expect(relationOf(caller('contact-person', null, 'gkp-b'), youth({ contactPersonId: 'gkp-a' }), TODAY)).toBeNull();
  });
  it('a unit the role cannot hold counts as none; other roles have no relation', () => {
    expect(
      relationOf(
        caller('jobcenter-advisor', 'FAMILY_GROUP_1'),
        youth({ socialUnits: ['FAMILY_GROUP_1'], inEffort: true, effortUnits: ['FAMILY_GROUP_1'] }),
        TODAY,
      ),
    ).toBeNull();
    expect(relationOf(caller('reporting-tool', 'UU'), youth(), TODAY)).toBeNull();
    expect(relationOf(caller('uu-counsellor', null), youth(), TODAY)).toBeNull();
  });
});
