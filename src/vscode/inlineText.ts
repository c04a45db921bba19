// Bundled text written into a page's own <script> or <style> element (no vscode, no I/O: unit-tested).

/**
 * Text that can sit inside a <script> or <style> element. Only `</script` (`</style`) would end the element early,
 * and `<!--` would switch an HTML parser into the script's escaped states; `<\/` and `<\!--` mean the same as `</`
 * and `<!--` wherever a bundle can hold them (string, template, regular expression, comment, CSS string).
 */
export function inlineText(text: string, element: 'script' | 'style'): string {
  const closed = text.replace(element === 'script' ? /<\/(script)/gi : /<\/(style)/gi, '<\\/$1');
  return element === 'script' ? closed.replace(/<!--/g, '<\\!--') : closed;
}
