/** A minimal GraphQL-over-HTTP client with a cookie jar, behaving like the browser app (CSRF header included). */
export class GraphQLClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    private readonly options: { bearer?: string; csrf?: boolean } = {},
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async raw(query: string, variables: Record<string, unknown> = {}, init: { method?: 'GET' | 'POST'; headers?: Record<string, string> } = {}) {
    if (!this.cookies.has('sl_csrf')) this.cookies.set('sl_csrf', 'test-csrf-token');
    const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
    if (this.options.bearer) headers.authorization = `Bearer ${this.options.bearer}`;
    else headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    if (this.options.csrf !== false && !this.options.bearer) headers['x-csrf-token'] ??= this.cookies.get('sl_csrf')!;
    const method = init.method ?? 'POST';
    const url = method === 'GET'
      ? `${this.baseUrl}/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`
      : `${this.baseUrl}/graphql`;
    const response = await fetch(url, { method, headers, body: method === 'POST' ? JSON.stringify({ query, variables }) : undefined });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = decodeURIComponent(pair!.slice(eq + 1));
      if (/Expires=Thu, 01 Jan 1970/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: response.status, body };
  }

  /** Runs an operation and returns its data, throwing with the server's message on any error. */
  async data<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { body } = await this.raw(query, variables);
    if (body.errors?.length) throw new GraphQLClientError(body.errors[0]!.message, body.errors[0]!.extensions?.code);
    return body.data as T;
  }

  /** Runs an operation expected to fail and returns the first error. */
  async error(query: string, variables: Record<string, unknown> = {}): Promise<{ message: string; code: string | undefined }> {
    const { body } = await this.raw(query, variables);
    if (!body.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(body.data)}`);
    return { message: body.errors[0]!.message, code: body.errors[0]!.extensions?.code };
  }
}

export class GraphQLClientError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
  }
}
