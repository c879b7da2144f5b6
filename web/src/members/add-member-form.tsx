// Adds a person to the tenant by e-mail with a role and, for WhatsApp codes, an optional phone number. Only owners
// may make someone an owner (the server refuses an admin with 403), so an admin is not offered it.
import { type FormEvent, useRef, useState } from 'react';
import { type Role, ROLES } from '../api/types.js';
import { ErrorAlert } from '../components/error-alert.js';
import { focusFirstInvalid } from '../components/focus-first-invalid.js';
import { TextField } from '../components/text-field.js';
import { useSession } from '../session/session-context.js';
import { useTenant } from '../session/tenant-context.js';

const E164 = /^\+[1-9]\d{6,14}$/;

export function AddMemberForm({ onAdded }: { onAdded: () => void }) {
  const { api } = useSession();
  const { tenantId, role: myRole } = useTenant();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('developer');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const phoneProblem = phone.trim() !== '' && !E164.test(phone.trim()) ? 'Use the international format, e.g. +4915123456789.' : undefined;

  /** An edited field: the last answer (e.g. "already a member") was about what was there before. */
  function edited<T>(set: (value: T) => void): (value: T) => void {
    return (value) => {
      set(value);
      setError(null);
      setAdded(null);
    };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setAdded(null);
    if (phoneProblem) {
      // As in the key forms: the field to correct takes the focus (it is marked invalid while typed).
      focusFirstInvalid(form.current);
      return;
    }
    setBusy(true);
    try {
      const member = await api.members.add(tenantId, { email: email.trim(), role, ...(phone.trim() ? { phone: phone.trim() } : {}) });
      setAdded(member.email);
      setEmail('');
      setPhone('');
      onAdded();
    } catch (cause) {
      setError(cause);
    }
    setBusy(false);
    // "Add member" was disabled while busy, which left the focus on <body>. The e-mail field takes it: empty for the
    // next person after an addition, or holding the address the server refused (e.g. already a member).
    document.getElementById('member-email')?.focus();
  }

  return (
    <form ref={form} className="card add-member" onSubmit={submit} aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add a member</h2>
      <div className="inline-fields">
        <TextField id="member-email" label="E-mail address" value={email} onChange={edited(setEmail)} input={{ type: 'email', required: true, autoComplete: 'off' }} />
        <div className="field">
          <label htmlFor="member-role">Role</label>
          <select id="member-role" className="input" value={role} onChange={(e) => edited(setRole)(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r} disabled={r === 'owner' && myRole !== 'owner'}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="member-phone"
          label="Phone (optional)"
          value={phone}
          onChange={edited(setPhone)}
          hint="For step-up codes by WhatsApp."
          problem={phoneProblem}
          input={{ type: 'tel', autoComplete: 'off', placeholder: '+4915123456789' }}
        />
      </div>
      <ErrorAlert error={error} />
      {added && (
        <p className="notice" role="status">
          {added} was added. They sign in with a code sent to that address.
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        Add member
      </button>
    </form>
  );
}
