import { describe, expect, it } from 'vitest';
import { inlineText } from '../../../src/vscode/inlineText';

describe('inlineText', () => {
  // what a bundle may hold: each expression evaluates to a value with the sequences a page must not see raw
  const source = [
    "'</script><script>alert(1)</script>'",
    '`</SCRIPT>${1 + 1}<!-- x -->`',
    "['</script>', '<!--', 'x'].map(s => /<\\/script>|<!--/.test(s))",
    '"a" /* </script> in a comment */ + "b"',
    "'<!-- <script> -->'",
  ];

  it('leaves no `</script` or `<!--` in a script, and every value is unchanged', () => {
    for (const expr of source) {
      const out = inlineText(expr, 'script');
      expect(out).not.toMatch(/<\/script|<!--/i);
      expect(new Function(`return (${out});`)()).toEqual(new Function(`return (${expr});`)());
    }
  });

  it('escapes only `</style` in styles, and leaves text without those sequences as it is', () => {
    expect(inlineText('a::before { content: "</style>"; }', 'style')).toBe('a::before { content: "<\\/style>"; }');
    expect(inlineText('.x { color: red } /* <!-- */', 'style')).toBe('.x { color: red } /* <!-- */');
    const plain = 'const a = b < c && d > e; // no markup';
    expect(inlineText(plain, 'script')).toBe(plain);
  });
});
