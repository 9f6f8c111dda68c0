/**
 * A buyer's labels as data scientists write them: class indices (`0`, `2`, `1.0`) or the class
 * names of the listing's model card (`setosa`, `Virginica`, `"versicolor"`), read into the
 * class indices the commitment, the worker and a dispute use. One file uses one kind; names
 * match without regard to case or surrounding quotes. Every refusal is a sentence naming the
 * sample, the label and what the listing accepts, with the hint a person needs (the class
 * names, or why there are none).
 */

export class ClassLabelError extends Error {
  override readonly name = "ClassLabelError";
  /** The sample (0-based) the sentence is about. */
  readonly sample: number;

  constructor(message: string, sample: number) {
    super(message);
    this.sample = sample;
  }
}

export interface ClassLabelContext {
  /** The listing's `task.classCount`. */
  readonly classCount: number;
  /** The class names of the listing's metadata document (model card), index by index, when it has them. */
  readonly classNames?: readonly string[];
  /** Why there are no class names (e.g. "its model card cannot be read: ..."), for the hint. */
  readonly namesMissing?: string;
  /** How sentences name the listing, e.g. "listing 3". */
  readonly listing?: string;
  /** How sentences name sample `i` (0-based), e.g. "data.csv, line 4"; default "sample i+1". */
  readonly where?: (sample: number) => string;
}

/** A label cell without surrounding blanks and one pair of double or single quotes. */
export function labelText(cell: string): string {
  const trimmed = cell.trim();
  const quoted = /^"(.*)"$/s.exec(trimmed) ?? /^'(.*)'$/s.exec(trimmed);
  return (quoted ? quoted[1]! : trimmed).trim();
}

/** The class index a label spells as a number (`2`, `2.0`), or undefined. */
function indexOf(text: string): number | undefined {
  return /^\d+(\.0*)?$/.test(text) ? Number(text) : undefined;
}

const nameKey = (name: string): string => labelText(name).toLowerCase();

/** "setosa, versicolor, virginica" (or the first few and a count). */
export function classList(names: readonly string[], at = 12): string {
  return names.length <= at ? names.join(", ") : `${names.slice(0, at).join(", ")}, … (${names.length} in all)`;
}

/**
 * The class index of every label, reading the whole column as class names when every label is
 * one of `classNames`, and as class indices when every label is a whole number (checked against
 * `classCount`). Refuses a column that mixes both, one that reads both ways differently (class
 * names that are numbers other than their own index), and a label that is neither.
 */
export function classIndices(labels: readonly string[], context: ClassLabelContext): number[] {
  const { classCount, classNames } = context;
  const where = context.where ?? ((i: number) => `sample ${i + 1}`);
  const listing = context.listing ?? "the listing";
  const texts = labels.map(labelText);
  const byName = new Map<string, number>();
  classNames?.forEach((name, i) => byName.set(nameKey(name), i));
  const asName = texts.map((t) => byName.get(t.toLowerCase()));
  const asIndex = texts.map(indexOf);
  const allNames = classNames !== undefined && asName.every((i) => i !== undefined);
  const allIndices = asIndex.every((i) => i !== undefined);
  const range = `0 to ${classCount - 1}`;
  const namesHint = classNames ? ` (${classList(classNames)})` : "";

  if (allNames && allIndices) {
    const differs = texts.findIndex((_, i) => asName[i] !== asIndex[i]);
    if (differs >= 0) {
      const t = texts[differs]!;
      throw new ClassLabelError(
        `${where(differs)}: the label "${t}" is both the name of class ${asName[differs]} and the class index ${asIndex[differs]} of ${listing}, so the labels are ambiguous: write them as class names or indices that read only one way`,
        differs,
      );
    }
  }
  if (allNames) return asName as number[];
  if (allIndices) {
    const out = asIndex as number[];
    const bad = out.findIndex((i) => i >= classCount);
    if (bad >= 0) throw new ClassLabelError(`${where(bad)} has label ${out[bad]}, but ${listing === "the listing" ? "the listing's" : `${listing}'s`} classes are ${range}${namesHint}`, bad);
    return out;
  }
  const neither = texts.findIndex((_, i) => asName[i] === undefined && asIndex[i] === undefined);
  if (neither >= 0) {
    const t = texts[neither]!;
    if (t === "") throw new ClassLabelError(`${where(neither)} has no label: give the class index (${range})${classNames ? " or the class name" : ""} in the last column`, neither);
    if (classNames) {
      throw new ClassLabelError(`${where(neither)}: the label "${t}" is neither a class index (${range}) nor a class name of ${listing} (${classList(classNames)})`, neither);
    }
    const why = context.namesMissing ?? "its model card gives no class names";
    throw new ClassLabelError(`${where(neither)}: the label "${t}" is not a class index (${range}), and ${listing} names no classes (${why}): write each label as its class index`, neither);
  }
  // Every label is valid one way or the other, but not all the same way.
  const name = asName.findIndex((i, k) => i !== undefined && asIndex[k] === undefined);
  const index = asIndex.findIndex((i, k) => i !== undefined && asName[k] === undefined);
  throw new ClassLabelError(
    `the labels mix class names (${where(name)}: "${texts[name]}") and class indices (${where(index)}: "${texts[index]}"): write them all one way`,
    Math.max(name, index),
  );
}
