import { describe, expect, it } from 'vitest';
import {
  detectPiiKind, isIPv4, isIPv6, isValidIban, isValidUsSsn, looksLikeEmail, looksLikePaymentCard, looksLikePhone, luhnValid, PiiScanner,
} from '../../../src/core/schema/pii';

describe('single-value detectors', () => {
  it('emails', () => {
    expect(['ann.lee@example.org', 'x+tag@sub.example.co.uk'].map(looksLikeEmail)).toEqual([true, true]);
    expect(['ann@', '@example.org', 'ann@example', 'two words@example.org', 'a@b.c'].map(looksLikeEmail)).toEqual([false, false, false, false, false]);
  });

  it('payment cards: Luhn-valid with a known issuer prefix and length', () => {
    // the networks' published test numbers
    const cards = ['4111111111111111', '4012888888881881', '5555555555554444', '2223003122003222', '378282246310005', '6011111111111117', '3530111333300000', '4111 1111 1111 1111', '4111-1111-1111-1111'];
    expect(cards.map(looksLikePaymentCard)).toEqual(cards.map(() => true));
    expect(luhnValid('4111111111111112')).toBe(false);
    // 16-digit ids failing Luhn are not cards; nor are Luhn-valid numbers without an issuer prefix or with the wrong length
    expect(looksLikePaymentCard('4111111111111112')).toBe(false);
    expect(looksLikePaymentCard('1234567812345670')).toBe(false); // Luhn-valid, prefix 1 is no card network
    expect(luhnValid('1234567812345670')).toBe(true);
    expect(looksLikePaymentCard('37828224631000')).toBe(false); // Amex prefix, 14 digits
    expect(looksLikePaymentCard('41111111 11111111')).toBe(false); // not a card grouping
  });

  it('IBANs: country length and mod-97', () => {
    expect(['GB82WEST12345698765432', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'GB82 WEST 1234 5698 7654 32'].map(isValidIban)).toEqual([true, true, true, true]);
    expect(isValidIban('GB82WEST12345698765433')).toBe(false); // checksum
    expect(isValidIban('DE89370400440532013')).toBe(false); // length for DE
    expect(isValidIban('QQ82WEST12345698765432')).toBe(false); // no such country
  });

  it('US SSNs: area, group and serial rules', () => {
    expect(['123-45-6789', '001-01-0001', '772 12 3456'].map(isValidUsSsn)).toEqual([true, true, true]);
    expect(['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '078-05-1120', '123-45-678', '123456789', '123-45 6789']
      .map(isValidUsSsn)).toEqual([false, false, false, false, false, false, false, false, false]);
  });

  it('IP addresses', () => {
    expect(['192.168.0.1', '8.8.8.8', '255.255.255.255'].map(isIPv4)).toEqual([true, true, true]);
    expect(['256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', '3.14'].map(isIPv4)).toEqual([false, false, false, false, false]);
    expect(['2001:db8::1', '::1', 'fe80::1%eth0', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '::ffff:192.0.2.128'].map(isIPv6)).toEqual([true, true, true, true, true]);
    expect(['12:30:00', '2001:db8::1::2', '1:2:3:4:5:6:7', 'abcd'].map(isIPv6)).toEqual([false, false, false, false]);
  });

  it('phones: E.164 and national layouts, not bare ids, dates, amounts or IPs', () => {
    expect(['+14155552671', '+44 20 7946 0958', '(415) 555-2671', '415-555-2671', '415.555.2671', '020 7946 0958', '06 12 34 56 78'].map(looksLikePhone))
      .toEqual([true, true, true, true, true, true, true]);
    expect(['4155552671', '12345678', '2021-03-05', '2021-03-05 10:00', '192.168.100.200', '1,234,567.89', '123-45-6789', '+0123456789']
      .map(looksLikePhone)).toEqual([false, false, false, false, false, false, false, false]);
  });

  it('detectPiiKind picks one kind per value', () => {
    expect(detectPiiKind('4111 1111 1111 1111')).toBe('payment-card');
    expect(detectPiiKind('123-45-6789')).toBe('us-ssn');
    expect(detectPiiKind(' ann@example.org ')).toBe('email');
    expect(detectPiiKind('hello')).toBeNull();
  });
});

describe('PiiScanner', () => {
  it('reports a column whose share reaches the threshold, with the first matching row', () => {
    const s = new PiiScanner(2, { minShare: 0.5 });
    const values = ['n/a', '+14155552671', '+442079460958', 'unknown', '+33612345678'];
    values.forEach((v, row) => { s.add(0, v, row); s.add(1, `note ${row}`, row); });
    expect(s.findings()).toEqual([{ column: 0, kind: 'phone', share: 3 / 5, matches: 3, checked: 5, exampleRow: 1 }]);
  });

  it('does not report a column of 16-digit ids that fail Luhn, nor one below the threshold', () => {
    const s = new PiiScanner(2, { minShare: 0.5 });
    for (let i = 0; i < 200; i++) {
      let id = String(4000000000000000 + i * 7919);
      if (luhnValid(id)) { id = id.slice(0, 15) + String((Number(id[15]) + 1) % 10); }
      s.add(0, id, i);
      s.add(1, i % 4 === 0 ? `u${i}@example.org` : `user ${i}`, i);
    }
    expect(s.findings()).toEqual([]);
  });

  it('skips columns marked as allowed and stops looking at a column that matched nothing after the warm-up', () => {
    const s = new PiiScanner(2, { warmup: 10 }, [true, false]);
    expect(s.wants(0)).toBe(false);
    for (let i = 0; i < 10; i++) { s.add(1, `text ${i}`, i); }
    expect(s.wants(1)).toBe(false);
    s.add(1, 'ann@example.org', 11);
    expect(s.findings()).toEqual([]);
  });
});
