/**
 * A text[] parameter of long strings (JWSs, canonical JSON) sent as one text, its elements joined
 * by a separator (issue 17). node-postgres writes a text[] parameter by escaping each element in
 * JavaScript (two regular expression passes and concatenations per element, a tenth of the
 * federation's time on a batch of registrations), and PostgreSQL's array_in and JSON parser both
 * read the text back a character at a time; joined, the strings go as they are and
 * `string_to_array` splits them with a byte search: 400 JWSs read back in 3.0–3.6 ms a batch,
 * where a JSON text took 6.3–7.7 and a text[] 6.5–7.8 (measured here, round trip included).
 *
 * Each element is preceded by RS (U+001E), so that an empty array and an array of one empty
 * string differ, and a null is written as US (U+001F). Neither occurs in what this carries (a
 * compact JWS is base64url and dots; RFC 8785 JSON escapes every control character): a value
 * that holds one is refused here, before anything is sent.
 */
const ELEMENT = '\u001e';
const NULL_ELEMENT = '\u001f';

export const packedTextArray = (values: readonly (string | null)[]): string => {
  if (values.length === 0) return '';
  // A leading empty element puts RS before the first value in the one join: the result is one flat
  // string. `RS + joined` is a rope that node-postgres flattens (a copy of the whole text) when it
  // measures and writes the parameter.
  const elements: string[] = new Array<string>(values.length + 1);
  elements[0] = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === null) {
      elements[i + 1] = NULL_ELEMENT;
      continue;
    }
    if (value.includes(ELEMENT) || value.includes(NULL_ELEMENT)) {
      throw new Error(`packedTextArray: element ${i} holds U+001E or U+001F, which separate the elements`);
    }
    elements[i + 1] = value;
  }
  return elements.join(ELEMENT);
};

/** SQL: the text[] that parameter `param` (written by `packedTextArray`) holds, in its order (a null as NULL). */
export const fromPackedTextArray = (param: string): string =>
  `(string_to_array(${param}::text, E'\\x1e', E'\\x1f'))[2:]`;
