/**
 * Generated sections of a Markdown file: the text between `<!-- generated: NAME -->` and
 * `<!-- end generated -->` is replaced; everything else is left as written.
 */
export function replaceSection(doc: string, name: string, body: string): string {
  const begin = `<!-- generated: ${name} -->`;
  const end = '<!-- end generated -->';
  const at = doc.indexOf(begin);
  if (at < 0) throw new Error(`no section "${name}" (${begin})`);
  const close = doc.indexOf(end, at);
  if (close < 0) throw new Error(`section "${name}" has no ${end}`);
  return `${doc.slice(0, at + begin.length)}\n${body}\n${doc.slice(close)}`;
}
