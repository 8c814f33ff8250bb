import type { Team } from '@huikuan/core/contracts';
import { useMemo } from 'react';
import { useTeams } from '../teams/api';

export type TeamLookup = {
  teams: readonly Team[];
  /** A team's name, or a short id when the list is unavailable (e.g. the role may not list teams). */
  nameOf: (teamId: string | null) => string | null;
};

export function useTeamLookup(): TeamLookup {
  const { data } = useTeams();
  return useMemo(() => {
    const teams = data ?? [];
    const names = new Map(teams.map((team) => [team.id, team.name]));
    const nameOf = (teamId: string | null) =>
      teamId === null ? null : (names.get(teamId) ?? teamId.slice(0, 8));
    return { teams, nameOf };
  }, [data]);
}
