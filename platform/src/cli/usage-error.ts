/** An error the user can fix (bad flag, malformed input file, bad configuration): the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
