/** Formatting of the judge's numbers in its plain sentences. */

export function formatCount(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`;
}

export function formatSeconds(value: number | null): string {
  if (value === null) return 'n/a';
  return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(2)} s`;
}

export function formatPoints(value: number): string {
  const points = value * 100;
  return `${points >= 0 ? '+' : ''}${points.toFixed(2)} pp`;
}

export function formatPercent(value: number): string {
  return `${value}%`;
}

export function formatBurn(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)}x`;
}

export function formatWindow(seconds: number): string {
  return seconds % 3600 === 0
    ? `${seconds / 3600} h`
    : `${Math.round(seconds / 60)} min`;
}
