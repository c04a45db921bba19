import { describe, expect, it } from 'vitest';
import { displayIso } from '../../../webview/preview/cellText';

describe('displayIso (profile figures shown as the grid shows values)', () => {
  it('writes ISO date-times with a space, without a UTC mark or a zero fraction', () => {
    expect(displayIso('2024-01-01T08:00:00.000Z')).toBe('2024-01-01 08:00:00');
    expect(displayIso('2024-03-24T07:00:00.250Z')).toBe('2024-03-24 07:00:00.250');
    expect(displayIso('2024-03-24T07:00:00')).toBe('2024-03-24 07:00:00');
    expect(displayIso('2024-03-24T07:00:00+02:00')).toBe('2024-03-24 07:00:00 +02:00');
  });

  it('leaves dates and other text as they are', () => {
    for (const t of ['2024-01-01', '2024-01', 'not a date', '2024-01-01T8:00Z']) { expect(displayIso(t)).toBe(t); }
  });
});
