// The fields of a key's settings, shared by the create dialog and the key's settings form.
import type { ReactNode } from 'react';
import type { Plan } from '../api/types.js';
import { TextField } from '../components/text-field.js';
import { ExpiryField } from './expiry-field.js';
import type { DraftProblems, KeyDraft } from './key-draft.js';
import { ScopePicker } from './scope-picker.js';

interface KeySettingsFieldsProps {
  idPrefix: string;
  draft: KeyDraft;
  onChange: (patch: Partial<KeyDraft>) => void;
  problems: DraftProblems;
  plan: Plan | null;
  knownScopes: readonly string[];
  /** The settings form may keep the expiry as it is. */
  editing: boolean;
  /** Rendered right after the name (the create dialog's environment). */
  afterName?: ReactNode;
}

export function KeySettingsFields({ idPrefix, draft, onChange, problems, plan, knownScopes, editing, afterName }: KeySettingsFieldsProps) {
  const rpmHint = plan?.max_rpm ? `Up to ${plan.max_rpm} on the ${plan.name} plan (default ${plan.default_rpm ?? '-'}).` : undefined;
  return (
    <>
      <TextField
        id={`${idPrefix}-name`}
        label="Name"
        value={draft.name}
        onChange={(name) => onChange({ name })}
        hint="Name it environment-purpose, e.g. prod-order-bot, so that anyone can tell what breaks if it is revoked."
        problem={problems.name}
        input={{ maxLength: 100, autoComplete: 'off', required: true }}
      />
      {afterName}
      <ScopePicker
        idPrefix={idPrefix}
        known={knownScopes}
        value={draft.scopes}
        onChange={(scopes) => onChange({ scopes })}
        typed={draft.typedScope}
        onTypedChange={(typedScope) => onChange({ typedScope })}
        problem={problems.scopes}
        typedProblem={problems.typedScope}
      />
      <TextField
        id={`${idPrefix}-rpm`}
        label="Rate limit (requests per minute)"
        value={draft.rpm}
        onChange={(rpm) => onChange({ rpm })}
        hint={rpmHint}
        problem={problems.rpm}
        input={{ type: 'number', inputMode: 'numeric', min: 1, max: plan?.max_rpm ?? undefined, step: 1 }}
      />
      <TextField
        id={`${idPrefix}-burst`}
        label="Burst (requests at once)"
        value={draft.burst}
        onChange={(burst) => onChange({ burst })}
        hint={`How many requests may arrive at once before the per-minute rate applies. Leave empty to use the rate limit (${draft.rpm.trim() || '-'}).`}
        problem={problems.burst}
        input={{ type: 'number', inputMode: 'numeric', min: 1, max: plan?.max_rpm ?? undefined, step: 1, placeholder: draft.rpm.trim() }}
      />
      <TextField
        id={`${idPrefix}-ips`}
        label="Allowed IPs and CIDRs"
        value={draft.allowedIps}
        onChange={(allowedIps) => onChange({ allowedIps })}
        hint="One per line or comma-separated, e.g. 203.0.113.7 or 2001:db8::/32. Leave empty to allow any address."
        problem={problems.allowedIps}
        multiline
        mono
      />
      <TextField
        id={`${idPrefix}-customers`}
        label="Customer IDs"
        value={draft.customerIds}
        onChange={(customerIds) => onChange({ customerIds })}
        hint="One per line or comma-separated. Leave empty to allow every customer of the tenant."
        problem={problems.customerIds}
        multiline
        mono
      />
      <ExpiryField
        idPrefix={idPrefix}
        choice={draft.expiry}
        customDate={draft.customDate}
        allowNever={plan === null ? null : plan.never_expiring_keys}
        allowKeep={editing}
        maxDays={plan?.max_key_lifetime_days ?? null}
        onChange={(expiry, customDate) => onChange({ expiry, customDate })}
        problem={problems.expiry}
        dateProblem={problems.customDate}
      />
      <TextField
        id={`${idPrefix}-meta`}
        label="Meta (JSON)"
        value={draft.meta}
        onChange={(meta) => onChange({ meta })}
        hint='A small JSON object for your own notes, e.g. {"owner": "billing-team"}.'
        problem={problems.meta}
        multiline
        rows={4}
        mono
      />
    </>
  );
}
