// What a role change does to a member's rights, said before it is saved.
import type { Member, Role } from '../api/types.js';
import { canManage } from '../session/roles.js';

/**
 * A sentence for a change that gives or takes away the right to change keys and members, or null when the
 * change keeps that right as it is (owner and admin, developer and viewer have the same rights).
 *
 * @example
 * roleChangeWarning('owner', 'viewer', true); // "You will no longer be able to change keys or members here; …"
 */
export function roleChangeWarning(from: Role, to: Role, isSelf: boolean): string | null {
  if (canManage(from) === canManage(to)) return null;
  if (canManage(to)) return `As ${to} they will be able to create, change and revoke keys, and add, change and remove members.`;
  return isSelf
    ? 'You will no longer be able to change keys or members here; only another owner or admin can give the role back.'
    : `As ${to} they will only be able to look: no more changes to keys or members.`;
}

/**
 * Why an owner's role and membership cannot be changed from here, or null when they can: the server refuses to take
 * the last owner away (409) and lets only owners touch an owner (403). `listComplete` says that `members` is every
 * member (one page, no more): only then does one owner in it mean the last.
 *
 * @example
 * ownerLock(olivia, [olivia, victor], true, 'owner'); // 'The only owner: make someone else owner first.'
 */
export function ownerLock(member: Member, members: readonly Member[], listComplete: boolean, myRole: Role | null): string | null {
  if (member.role !== 'owner') return null;
  // An admin could not follow "make someone else owner first": only owners make owners.
  if (myRole === 'admin') return 'Only an owner can change or remove an owner.';
  if (listComplete && members.filter((m) => m.role === 'owner').length === 1) return 'The only owner: make someone else owner first.';
  return null;
}
