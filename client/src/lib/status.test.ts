import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { KpiTarget as Target } from '@/lib/api/types';
import { describeBands, statusBands, statusOf } from '@/lib/status';

const repository = join(__dirname, '..', '..', '..');

/** The published conformance table (README.md, or wherever docs/ keeps it): the same rows the API's tests run. */
function conformanceRows(): string[][] {
  const docs = join(repository, 'docs');
  const files = [join(repository, 'README.md'), ...safeList(docs).map((f) => join(docs, f))];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    const header = lines.findIndex((l) => /^\|\s*comparator\s*\|\s*target\s*\|\s*warning\s*\|\s*value\s*\|\s*status\s*\|/.test(l));
    if (header < 0) continue;
    const rows: string[][] = [];
    for (const line of lines.slice(header + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
    }
    return rows;
  }
  throw new Error('No KPI status conformance table found in README.md or docs/');
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.md'));
  } catch {
    return [];
  }
}

function targetOf(comparator: string, target: string, warning: string): Target {
  const w = warning === 'none' ? null : Number(warning);
  if (comparator === 'between') {
    const [low, high] = target.split('..').map(Number);
    return { comparator: 'between', low, high, warning: w };
  }
  return { comparator: comparator as Target['comparator'], value: Number(target), warning: w };
}

/** A double tells apart every decimal of up to 15 significant digits; the server compares exact decimals beyond. */
function exactAsDouble(text: string): boolean {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= 15;
}

describe('status bands agree with the published conformance table', () => {
  const rows = conformanceRows();

  it('finds the table', () => {
    expect(rows.length).toBeGreaterThan(50);
  });

  const representable = rows.filter(([, , , value]) => value === 'none' || exactAsDouble(value!));

  // The float-noise rows (beyond 15 significant digits) show that the server compares exact decimals; a double may
  // round them onto the boundary (99.9999999999999999 reads as 100), so the client's bands are not tested on them.
  it('leaves to the server only the rows a double cannot hold (it decides every stored status)', () => {
    expect(rows.filter((r) => !representable.includes(r)).map((r) => r[3])).toEqual([
      '99.9999999999999999',
      '99.99999999999999',
      '99.999999999999999999999999999999',
      '0.30000000000000004',
      '2.0000000000000004',
    ]);
    expect(Number('99.9999999999999999')).toBe(100);
  });

  for (const [comparator, target, warning, value, status] of representable) {
    it(`${comparator} ${target} warning ${warning}: ${value} is ${status}`, () => {
      const v = value === 'none' ? null : Number(value);
      expect(statusOf(targetOf(comparator!, target!, warning!), v)).toBe(status);
    });
  }
});

describe('statusBands', () => {
  it('shades at risk on both sides of a between range', () => {
    const bands = statusBands({ comparator: 'between', low: 10, high: 20, warning: 8 });
    expect(bands.map((b) => [b.status, b.from, b.to])).toEqual([
      ['offTarget', -Infinity, 8],
      ['atRisk', 8, 10],
      ['onTarget', 10, 20],
      ['atRisk', 20, 22],
      ['offTarget', 22, Infinity],
    ]);
  });

  it('has no at-risk band without a warning', () => {
    expect(statusBands({ comparator: 'atMost', value: 2 }).map((b) => b.status)).toEqual(['onTarget', 'offTarget']);
  });

  it('mirrors atLeast for atMost', () => {
    expect(statusBands({ comparator: 'atMost', value: 2, warning: 3 }).map((b) => [b.status, b.from, b.to])).toEqual([
      ['onTarget', -Infinity, 2],
      ['atRisk', 2, 3],
      ['offTarget', 3, Infinity],
    ]);
  });

  it('draws equals as an exact line with a band of the warning distance around it', () => {
    expect(statusBands({ comparator: 'equals', value: 50, warning: 45 }).map((b) => [b.status, b.from, b.to])).toEqual([
      ['offTarget', -Infinity, 45],
      ['atRisk', 45, 50],
      ['onTarget', 50, 50],
      ['atRisk', 50, 55],
      ['offTarget', 55, Infinity],
    ]);
  });

  it('describes the bands in words for the chart summary', () => {
    expect(describeBands({ comparator: 'atLeast', value: 100, warning: 90 }, String)).toEqual([
      'Off target: below 90',
      'At risk: 90 to 100',
      'On target: from 100',
    ]);
  });

  it('has no bands for an incomplete target', () => {
    expect(statusBands({ comparator: 'between', low: 1 })).toEqual([]);
    expect(statusOf({ comparator: 'atLeast' }, 5)).toBe('offTarget');
  });
});
