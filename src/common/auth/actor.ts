import type { Role } from '../../users/role.js';

/** The authenticated caller, passed as the first argument of every service method. */
export interface Actor {
  id: number;
  role: Role;
  username: string;
}
