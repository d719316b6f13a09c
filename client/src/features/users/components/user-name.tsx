import { useQuery } from '@tanstack/react-query';

import { userQueryOptions } from '../api/users';

/** A person's display name from their id (cached), or the id while it loads or when the person is gone. */
export function UserName({ id }: { id: string }) {
  const user = useQuery(userQueryOptions(id));
  return <>{user.data?.displayName ?? id}</>;
}
