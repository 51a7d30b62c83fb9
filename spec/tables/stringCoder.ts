/**
 * The code of each of `values` (`codes[i]`, by default its index; the first of equal values
 * counts), and `missing` for any other string, as a function compiled to a `switch`. V8 compares
 * internalized strings (every literal of the spec) by identity, in under half the time of a
 * `Map.get` per lookup; the tables and the model checker's encoders look strings up millions of
 * times per search. Equal arguments give the same function: a caller made afresh (each search's
 * encoders) then calls the function its optimized code was specialized to, not a new one (which
 * deoptimized the callers at every search).
 */
export function stringCoder(values: readonly string[], codes?: readonly number[], missing = -1): (x: string) => number {
  const cases = values.map((v, i) => `case ${JSON.stringify(v)}: return ${codes ? codes[i]! : i};`).join("\n");
  const body = `switch (x) {\n${cases}\ndefault: return ${missing};\n}`;
  let f = coders.get(body);
  if (!f) coders.set(body, (f = new Function("x", body) as (x: string) => number));
  return f;
}

const coders = new Map<string, (x: string) => number>();
