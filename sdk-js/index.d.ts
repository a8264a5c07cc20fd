// Type declarations for dklab-realplexor: the Dklab_Realplexor browser API.

/** Called with the message (JSON-parsed), the id without namespace, and the message's cursor. */
export type RealplexorCallback<T = any> = (data: T, id: string, cursor: string) => void;

export type RealplexorTransport = 'websocket' | 'eventsource' | 'longpoll';

export interface RealplexorOptions {
  /** Force a transport, or give the order to try them in. Default: websocket, eventsource, longpoll. */
  transport?: RealplexorTransport | RealplexorTransport[];
  /** false: keep this client's own connection instead of sharing one between the site's tabs. Default true. */
  shared?: boolean;
}

export declare class Dklab_Realplexor {
  /**
   * @param url the WAIT line's URL, e.g. "https://rpl.example.com/"
   * @param namespace prefix glued in front of every id, e.g. "demo_"
   * @param options ours; the original's third argument (a boolean) is accepted and ignored
   */
  constructor(url: string, namespace?: string | null, options?: RealplexorOptions | boolean);
  readonly version: string;
  /** Ids go on the wire as LOGIN_ + namespace + id. */
  logon(login: string | null): this;
  /** Listen to the id from this cursor (0: everything the server still holds) from the next execute(). */
  setCursor(id: string, cursor: string | number | null): this;
  subscribe<T = any>(id: string, callback: RealplexorCallback<T>): this;
  /** Takes effect at once; callback null (or left out) drops every callback of the id. */
  unsubscribe(id: string, callback?: RealplexorCallback<any> | null): this;
  /** (Re)connect with the current subscriptions; calls made together make at most one request. */
  execute(): this;
  /**
   * Ours (signed subscriptions): the token your back end made for this page's signed ids
   * (sdk-java / sdk-php subscribeToken), sent as a `token` query parameter from the next
   * execute(); null drops it.
   */
  setToken(token: string | null): this;
  /**
   * Ours: called once per token when the server says it has expired (or its own expiry has
   * passed). Return the fresh token (or a promise of it) and it is set and applied at once;
   * or call setToken() and execute() yourself.
   */
  onTokenExpired(callback: ((expiredToken: string) => string | Promise<string> | void) | null): this;
}

export default Dklab_Realplexor;
