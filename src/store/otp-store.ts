// One-time code challenges, and the server key that digests them (shared by every node through the database).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface SettingsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface OtpChallengesTable {
  id: string;
  purpose: string;
  subject: string;
  code_digest: string;
  channel: string;
  user_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  locked_at: string | null;
}

export interface OtpChallenge {
  id: string;
  purpose: string;
  subject: string;
  codeDigest: string;
  channel: string;
  userId: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  lockedAt: string | null;
}

const SERVER_KEY = 'otp_hmac_key';

export class OtpStore {
  private readonly db: Kysely<Database & { settings: SettingsTable; otp_challenges: OtpChallengesTable }>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ settings: SettingsTable; otp_challenges: OtpChallengesTable }>();
  }

  /**
   * The HMAC key of codes and CSRF tokens: 32 random bytes made by the first node that asks and kept
   * in the database, so that every node (and every restart) uses the same one.
   */
  async serverKey(now: string): Promise<Buffer> {
    await this.db
      .insertInto('settings')
      .values({ name: SERVER_KEY, value: randomBytes(32).toString('base64'), created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('name', '=', SERVER_KEY).executeTakeFirstOrThrow();
    return Buffer.from(row.value, 'base64');
  }

  async insert(challenge: OtpChallenge): Promise<void> {
    await this.db
      .insertInto('otp_challenges')
      .values({
        id: challenge.id,
        purpose: challenge.purpose,
        subject: challenge.subject,
        code_digest: challenge.codeDigest,
        channel: challenge.channel,
        user_id: challenge.userId,
        created_at: challenge.createdAt,
        expires_at: challenge.expiresAt,
        used_at: challenge.usedAt,
        locked_at: challenge.lockedAt,
      })
      .execute();
  }

  /** The newest challenge of a subject: only it counts, so a new code replaces the ones before it. */
  async newest(subject: string): Promise<OtpChallenge | undefined> {
    const row = await this.db
      .selectFrom('otp_challenges')
      .selectAll()
      .where('subject', '=', subject)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          purpose: row.purpose,
          subject: row.subject,
          codeDigest: row.code_digest,
          channel: row.channel,
          userId: row.user_id,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          usedAt: row.used_at,
          lockedAt: row.locked_at,
        }
      : undefined;
  }

  /**
   * Marks the challenge used; false when another request used it first. A lock does not stop it: the caller's try
   * was counted within the limit before it compared the code, and a lock set meanwhile is for the tries after it.
   */
  async consume(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('otp_challenges')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Locks the challenge unless it is used or locked already; says whether it did. */
  async lock(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('otp_challenges').set({ locked_at: at })
      .where('id', '=', id).where('locked_at', 'is', null).where('used_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Whether the challenge has been used (a right code was taken). */
  async isUsed(id: string): Promise<boolean> {
    const row = await this.db.selectFrom('otp_challenges').select('used_at').where('id', '=', id).executeTakeFirst();
    return row?.used_at != null;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('otp_challenges').where('id', '=', id).execute();
  }

  /** Drops the subject's older challenges and every expired one, so the table stays small. */
  async prune(subject: string, keepId: string, now: string): Promise<void> {
    await this.db.deleteFrom('otp_challenges').where('subject', '=', subject).where('id', '!=', keepId).execute();
    await this.db.deleteFrom('otp_challenges').where('expires_at', '<', now).execute();
  }
}
