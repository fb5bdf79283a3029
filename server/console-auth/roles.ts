// Console roles, strongest first. Kept free of server imports: the console's browser
// code uses this list too.
import type { UserRole } from '../../db/schema.js';

export const USER_ROLES: readonly UserRole[] = ['owner', 'admin', 'editor', 'viewer'];

export type { UserRole };
