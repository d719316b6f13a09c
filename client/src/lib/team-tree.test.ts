import { describe, expect, it } from 'vitest';

import { descendantsOf, flattenTeams, teamPath } from '@/lib/team-tree';

const teams = [
  { id: 'p', name: 'Platform', parentTeamId: 'e' },
  { id: 'a', name: 'Acme Corp', parentTeamId: null },
  { id: 'e', name: 'Engineering', parentTeamId: 'a' },
  { id: 'c', name: 'Customer Success', parentTeamId: 'a' },
  { id: 'o', name: 'Orphan', parentTeamId: 'gone' },
];

describe('team tree', () => {
  it('lists parents before children, siblings by name, orphans as roots', () => {
    expect(flattenTeams(teams).map(({ team, depth }) => `${depth}:${team.name}`)).toEqual([
      '0:Acme Corp',
      '1:Customer Success',
      '1:Engineering',
      '2:Platform',
      '0:Orphan',
    ]);
  });

  it('names a team by its path', () => {
    expect(teamPath(teams, 'p')).toBe('Acme Corp › Engineering › Platform');
    expect(teamPath(teams, null)).toBe('');
  });

  it('finds everything below a team (a team cannot move under itself)', () => {
    expect([...descendantsOf(teams, 'e')].sort()).toEqual(['e', 'p']);
  });

  it('survives a loop in the data', () => {
    const loop = [
      { id: 'x', name: 'X', parentTeamId: 'y' },
      { id: 'y', name: 'Y', parentTeamId: 'x' },
    ];
    expect(teamPath(loop, 'x')).toBe('Y › X');
    expect(flattenTeams(loop)).toEqual([]);
  });
});
