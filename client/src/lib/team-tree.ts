export interface TeamLike {
  id: string;
  name: string;
  parentTeamId?: string | null;
}

/** Teams in tree order (parents before children, siblings by name) with their depth; orphans start new roots. */
export function flattenTeams<T extends TeamLike>(teams: readonly T[]): { team: T; depth: number }[] {
  const ids = new Set(teams.map((t) => t.id));
  const children = new Map<string | null, T[]>();
  for (const team of teams) {
    const parent = team.parentTeamId && ids.has(team.parentTeamId) ? team.parentTeamId : null;
    children.set(parent, [...(children.get(parent) ?? []), team]);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const out: { team: T; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const team of children.get(parent) ?? []) {
      if (seen.has(team.id)) continue;
      seen.add(team.id);
      out.push({ team, depth });
      walk(team.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Option labels that show the tree in a <select> ("Engineering › Platform"). */
export function teamPath<T extends TeamLike>(teams: readonly T[], id: string | null | undefined): string {
  if (!id) return '';
  const byId = new Map(teams.map((t) => [t.id, t]));
  const names: string[] = [];
  let current = byId.get(id);
  const seen = new Set<string>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentTeamId ? byId.get(current.parentTeamId) : undefined;
  }
  return names.join(' › ');
}

/** Ids of a team and everything below it: a team cannot move under itself. */
export function descendantsOf<T extends TeamLike>(teams: readonly T[], id: string): Set<string> {
  const out = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of teams) {
      if (t.parentTeamId && out.has(t.parentTeamId) && !out.has(t.id)) {
        out.add(t.id);
        grew = true;
      }
    }
  }
  return out;
}
