import { describe, expect, it } from 'vitest';
import {
  birthDateFromCpr,
  centuryYear,
  CprError,
  cprDigits,
  cprWithDash,
  generateCpr,
  genderFromCpr,
  isCprFormat,
  satisfiesModulus11,
  seventhDigitsFor,
} from '../../systems/population/cpr.js';
import { createRng } from '../../systems/population/prng.js';
import { generatePopulation } from '../../systems/population/generate.js';

describe('CPR numbers', () => {
  it('reads the century from the 7th digit and the year', () => {
    expect(birthDateFromCpr('010199-3000')).toBe('1999-01-01'); // 0-3: 1900s
    expect(birthDateFromCpr('010137-4000')).toBe('1937-01-01'); // 4, YY >= 37: 1900s
    expect(birthDateFromCpr('010136-4000')).toBe('2036-01-01'); // 4, YY <= 36: 2000s
    expect(birthDateFromCpr('311299-9000')).toBe('1999-12-31'); // 9, YY >= 37: 1900s
    expect(birthDateFromCpr('150310-9000')).toBe('2010-03-15'); // 9, YY <= 36: 2000s
    expect(birthDateFromCpr('150357-5000')).toBe('2057-03-15'); // 5-8, YY <= 57: 2000s
    expect(birthDateFromCpr('150358-8000')).toBe('1858-03-15'); // 5-8, YY >= 58: 1800s
    expect(birthDateFromCpr('2902084321')).toBe('2008-02-29'); // without the dash
    expect(centuryYear(12, 0)).toBe(1912);
  });

  it('refuses what is not a CPR number', () => {
    expect(() => birthDateFromCpr('310299-1234')).toThrow(CprError); // 31 February
    expect(() => birthDateFromCpr('0101-991234')).toThrow(CprError);
    expect(() => birthDateFromCpr('abc')).toThrow(CprError);
    expect(isCprFormat('010112-4321')).toBe(true);
    expect(isCprFormat('0101124321')).toBe(false);
  });

  it('knows which 7th digits encode a year', () => {
    expect(seventhDigitsFor(1998)).toEqual([0, 1, 2, 3, 4, 9]);
    expect(seventhDigitsFor(2010)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(seventhDigitsFor(2050)).toEqual([5, 6, 7, 8]);
  });

  it('computes the modulus-11 check', () => {
    // 0*4 + 7*3 + 0*2 + 7*7 + 6*6 + 1*5 + 4*4 + 2*3 + 8*2 + 5*1 = 154 = 14 * 11
    expect(satisfiesModulus11('070761-4285')).toBe(true);
    expect(satisfiesModulus11('070761-4286')).toBe(false);
  });

  it('generates format-valid, unique numbers that fail modulus 11 and carry birth date and gender', () => {
    const rng = createRng(7);
    const taken = new Set<string>();
    for (const birth of ['1996-11-02', '1999-12-31', '2000-01-01', '2008-02-29', '2013-12-31']) {
      for (let i = 0; i < 300; i++) {
        const gender = i % 2 === 0 ? 'F' : 'M';
        const cpr = generateCpr(birth, gender, rng, taken);
        expect(isCprFormat(cpr)).toBe(true);
        expect(birthDateFromCpr(cpr)).toBe(birth);
        expect(genderFromCpr(cpr)).toBe(gender);
        expect(satisfiesModulus11(cpr)).toBe(false);
      }
    }
    expect(taken.size).toBe(1500);
  });

  it('converts between the dashed and the jobcenter form', () => {
    expect(cprDigits('010112-4321')).toBe('0101124321');
    expect(cprWithDash('0101124321')).toBe('010112-4321');
  });

  it('gives every person of a population a unique, consistent, fictitious number', () => {
    const population = generatePopulation({ scale: 0.2 });
    const seen = new Set<string>();
    for (const person of population.people) {
      expect(person.cpr).toMatch(/^\d{6}-\d{4}$/);
      expect(birthDateFromCpr(person.cpr)).toBe(person.birthDate);
      expect(genderFromCpr(person.cpr)).toBe(person.gender);
      expect(satisfiesModulus11(person.cpr)).toBe(false);
      expect(seen.has(person.cpr)).toBe(false);
      seen.add(person.cpr);
    }
    expect(population.byCpr.size).toBe(population.people.length);
  });
});
