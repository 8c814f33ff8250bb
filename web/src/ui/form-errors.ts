import type { FormInstance } from 'antd';
import { isApiError } from '../app/api';

type FieldPath = (string | number)[];

/** Server issue paths are dotted ("contacts.0.email"); antd wants ["contacts", 0, "email"]. */
function toFieldPath(path: string): FieldPath {
  return path
    .split('.')
    .filter((segment) => segment !== '')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/**
 * Puts each validation issue from the server under the form field it names, so the message appears where
 * the user has to act. Errors that concern one field without naming it (e.g. `slug_taken`) are placed via
 * `fieldByCode`. Returns whether everything found a field; if not, the caller shows the error at the top of
 * the form too.
 */
export function applyApiErrorToForm(
  form: FormInstance,
  error: unknown,
  fieldNames: readonly string[],
  fieldByCode: Readonly<Record<string, string>> = {},
): boolean {
  if (!isApiError(error)) return false;
  const codeField = fieldByCode[error.code];
  if (codeField !== undefined) {
    form.setFields([{ name: toFieldPath(codeField), errors: [error.message] }]);
    return true;
  }
  if (error.issues.length === 0) return false;
  const known = new Set(fieldNames);
  const matched = error.issues.filter((issue) => known.has(toFieldPath(issue.path)[0]?.toString() ?? ''));
  // One field can break several rules; show all of its messages, not just the last.
  const messagesByPath = new Map<string, string[]>();
  for (const issue of matched)
    messagesByPath.set(issue.path, [...(messagesByPath.get(issue.path) ?? []), issue.message]);
  form.setFields([...messagesByPath].map(([path, errors]) => ({ name: toFieldPath(path), errors })));
  return matched.length === error.issues.length;
}
