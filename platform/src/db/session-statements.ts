import type pg from 'pg';

/**
 * A statement prepared once per connection with SQL `PREPARE` and run with `EXECUTE`. Unlike pg's named statements
 * (the extended protocol: one statement a round trip), an `EXECUTE` can go in a string of several statements sent at
 * once, and PostgreSQL plans the statement once per connection instead of at every call: a one-lead matching pass
 * spent ~2.5 ms planning its dozen statements, longer than it took to run them.
 */
export interface SessionStatement {
  /** Unique in the process: a connection that has a statement of this name has this one. */
  readonly name: string;
  readonly parameterTypes: readonly string[];
  /** The statement, with `$1`, `$2`, … for its parameters. */
  readonly text: string;
}

export function sessionStatement(name: string, parameterTypes: readonly string[], text: string): SessionStatement {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new TypeError(`a session statement's name must be a lower-case SQL identifier: ${name}`);
  return { name, parameterTypes, text };
}

/** How a caller wants a statement written: `execute` where the connection has prepared it, else `inline`. */
export type StatementForm = (statement: SessionStatement, args: readonly string[]) => string;

/** The `EXECUTE` of a statement prepared on the connection (`prepareOnce`), its arguments as SQL literals. */
export const execute: StatementForm = (statement, args) => {
  checkArity(statement, args);
  return `EXECUTE ${statement.name}(${args.join(', ')})`;
};

/** The statement with its arguments written in place: for a connection that has not prepared it, or a one-off. */
export const inline: StatementForm = (statement, args) => {
  checkArity(statement, args);
  return statement.text.replace(/\$(\d+)/g, (_, n: string) => `(${args[Number(n) - 1]})::${statement.parameterTypes[Number(n) - 1]}`);
};

function checkArity(statement: SessionStatement, args: readonly string[]): void {
  if (args.length !== statement.parameterTypes.length) {
    throw new TypeError(`${statement.name} takes ${statement.parameterTypes.length} argument(s), got ${args.length}`);
  }
}

const preparedOn = new WeakMap<pg.ClientBase, Set<string>>();

/**
 * Prepares on this connection those statements it does not have yet, one round trip each, outside any transaction
 * (call it before `BEGIN`): a statement prepared inside one that fails would leave us unsure whether it exists. A pool
 * keeps a connection's client object for the connection's life, so the client is where what it has is remembered.
 */
export async function prepareOnce(client: pg.ClientBase, statements: readonly SessionStatement[]): Promise<void> {
  let prepared = preparedOn.get(client);
  if (!prepared) preparedOn.set(client, (prepared = new Set()));
  for (const statement of statements) {
    if (prepared.has(statement.name)) continue;
    try {
      await client.query(`PREPARE ${statement.name}(${statement.parameterTypes.join(', ')}) AS ${statement.text}`);
    } catch (error) {
      // Already prepared on this connection: by this process, so the same statement.
      if ((error as { code?: string }).code !== '42P05') throw error;
    }
    prepared.add(statement.name);
  }
}
