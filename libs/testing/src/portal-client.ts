import type { INestApplication } from '@nestjs/common';
import { createPortalApp } from '../../../apps/buyer-portal/src/app.factory';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; errors?: { field: string; message: string }[]; errorId?: string; reason?: string; [k: string]: unknown };
}

export interface GqlResponse<T = any> {
  status: number;
  data: T | null | undefined;
  errors: GqlError[] | undefined;
}

/** Talks to a running buyer portal over HTTP, as a browser or an integration would. */
export class PortalClient {
  constructor(readonly baseUrl: string) {}

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResponse<T>> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`GraphQL answered ${res.status} with a non-JSON body: ${text.slice(0, 500)}`);
    }
    return { status: res.status, data: body.data, errors: body.errors };
  }

  /** Like gql, but fails with the errors when there are any. */
  async gqlOk<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
    const r = await this.gql<T>(query, variables, token);
    if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors, null, 2)}`);
    return r.data as T;
  }

  /** Signs in and returns the bearer token. */
  async login(email: string, password: string): Promise<string> {
    const data = await this.gqlOk<{ login: { token: string } }>(
      `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      { email, password },
    );
    return data.login.token;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: res.headers };
  }
}

/** The real buyer portal in this process, listening on a free port. */
export async function startPortal(): Promise<{ app: INestApplication; url: string; client: PortalClient }> {
  const app = await createPortalApp();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { app, url, client: new PortalClient(url) };
}
