/** A browser file's bytes as base64, the form the import endpoints take. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with a whole 30 MB file as arguments would overflow the stack.
  const sliceBytes = 0x8000;
  for (let start = 0; start < bytes.length; start += sliceBytes) {
    binary += String.fromCharCode(...bytes.subarray(start, start + sliceBytes));
  }
  return btoa(binary);
}

/** Required fields the mapping leaves without a column. */
export function missingRequired(
  fields: readonly { name: string; isRequired: boolean }[],
  mapping: Record<string, string>,
): string[] {
  return fields.filter((field) => field.isRequired && !mapping[field.name]).map((field) => field.name);
}
