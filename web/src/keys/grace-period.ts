// The rotation grace period as typed (hours and minutes) and the seconds the API takes.

export function gracePeriodSeconds(hours: string, minutes: string): number | null {
  const h = hours.trim() === '' ? 0 : Number(hours);
  const m = minutes.trim() === '' ? 0 : Number(minutes);
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || m < 0 || m > 59) return null;
  return h * 3600 + m * 60;
}

export function describeGrace(seconds: number): string {
  if (seconds === 0) return 'The old key stops at once.';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const parts = [h > 0 ? `${h} hour${h === 1 ? '' : 's'}` : '', m > 0 ? `${m} minute${m === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `The old key keeps working for ${parts.join(' and ')}, then expires.`;
}
