import { ProblemList } from './errors';

/** NFC-normalises and trims; Vietnamese typed on different keyboards arrives composed or decomposed. */
export function cleanText(value: string): string {
  return value.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Checks a required human-readable text field; returns the cleaned value. */
export function requiredText(problems: ProblemList, path: (string | number)[], value: string, max = 200): string {
  const cleaned = cleanText(value);
  if (!cleaned) problems.add(path, `${path[path.length - 1]} must not be empty.`);
  else if (cleaned.length > max) problems.add(path, `${path[path.length - 1]} must be at most ${max} characters.`);
  return cleaned;
}
