// People and other actors as the dashboard names them: a member's e-mail rather than `usr_…`, an operator by its token.

export interface Party {
  type: string;
  id: string | null;
}

/** What to show for an actor or target: `text` on screen, `title` keeping the raw type and id at hand. */
export interface PartyLabel {
  text: string;
  title: string | undefined;
}

const OPERATOR_SOURCES: Record<string, string> = { env: 'root token env', cli: 'CLI' };

/**
 * An audit actor or target in words: a user by e-mail where `emails` knows the id, an operator by what acted for it
 * (the root token of the environment, the CLI, or a stored root token), anything else as `type id`. With
 * `membersComplete` (every member was read), a user who is none of them is said to be one no longer: a removed
 * member, or an operator who acted from the dashboard (the entry cannot tell which).
 *
 * @example
 * partyLabel({ type: 'user', id: 'usr_1' }, new Map([['usr_1', 'olivia@acme.example']])); // { text: 'olivia@acme.example', title: 'user usr_1' }
 * partyLabel({ type: 'operator', id: 'env' }, new Map()); // { text: 'operator (root token env)', title: 'operator env' }
 */
export function partyLabel(party: Party, emails: ReadonlyMap<string, string>, membersComplete = false): PartyLabel {
  const raw = party.id ? `${party.type} ${party.id}` : party.type;
  if (party.id === null) return { text: party.type, title: undefined };
  if (party.type === 'user') {
    const email = emails.get(party.id);
    if (email) return { text: email, title: raw };
    return membersComplete ? { text: `former member or operator (${party.id})`, title: `${raw}, not a member of this tenant now` } : { text: raw, title: undefined };
  }
  if (party.type === 'operator') {
    const source = OPERATOR_SOURCES[party.id] ?? `root token ${party.id}`;
    return { text: `operator (${source})`, title: raw };
  }
  return { text: raw, title: undefined };
}

/**
 * The e-mails that audit entries carry in their details for the user they are about (`member.added`,
 * `member.removed`), by user id: they still name a member after the removal.
 */
export function emailsInEntries(entries: ReadonlyArray<{ target: Party; details: Record<string, unknown> }>): Map<string, string> {
  const emails = new Map<string, string>();
  for (const { target, details } of entries) {
    if (target.type === 'user' && target.id !== null && typeof details.email === 'string') emails.set(target.id, details.email);
  }
  return emails;
}

/** A key's `created_by` (`user:usr_…`, `operator:env`, `system`) in words, as `partyLabel` says it. */
export function creatorLabel(createdBy: string, emails: ReadonlyMap<string, string>, membersComplete = false): PartyLabel {
  const at = createdBy.indexOf(':');
  const party: Party = at === -1 ? { type: createdBy, id: null } : { type: createdBy.slice(0, at), id: createdBy.slice(at + 1) };
  return partyLabel(party, emails, membersComplete);
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(valueText).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('from' in record && 'to' in record && Object.keys(record).length === 2) return `${valueText(record.from)} → ${valueText(record.to)}`;
    return JSON.stringify(value);
  }
  return String(value);
}

/** `9000` seconds as `2 hours 30 minutes` (a grace period in the audit log). */
function durationText(seconds: number): string {
  if (seconds === 0) return '0 s';
  const units: Array<[string, number]> = [['day', 86_400], ['hour', 3600], ['minute', 60], ['second', 1]];
  let left = seconds;
  const parts: string[] = [];
  for (const [unit, size] of units) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(`${count} ${unit}${count === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}

/**
 * An audit entry's details as readable text, one `name: value` per entry (lists joined, `{from, to}` as an arrow,
 * `…_seconds` as a duration (a grace period of null: until revoked), a key's id as its name where `keyNames` knows it); empty when there are none.
 *
 * @example
 * auditDetailsText({ role: { from: 'viewer', to: 'owner' }, fields: ['name', 'scopes'] }); // ['role: viewer → owner', 'fields: name, scopes']
 * auditDetailsText({ rotated_to: 'key_2', grace_period_seconds: 9000 }, new Map([['key_2', 'prod-order-bot']])); // ['rotated to: prod-order-bot', 'grace period: 2 hours 30 minutes']
 */
export function auditDetailsText(details: Record<string, unknown>, keyNames: ReadonlyMap<string, string> = new Map()): string[] {
  return Object.entries(details).map(([name, value]) => {
    // A rotation without a grace period leaves the old key working until it is revoked; one of 0 stops it at once.
    if (name === 'grace_period_seconds' && value === null) return 'grace period: until revoked';
    if (name === 'grace_period_seconds' && value === 0) return 'grace period: 0 s (at once)';
    if (name.endsWith('_seconds') && typeof value === 'number') return `${name.slice(0, -'_seconds'.length).replace(/_/g, ' ')}: ${durationText(value)}`;
    const known = typeof value === 'string' ? keyNames.get(value) : undefined;
    return `${name.replace(/_/g, ' ')}: ${known ?? valueText(value)}`;
  });
}
