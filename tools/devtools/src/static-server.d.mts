/** The headers that make a page cross-origin isolated (SharedArrayBuffer, threads). */
export declare const ISOLATION_HEADERS: Readonly<Record<string, string>>;
export interface StaticServer {
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  close(): Promise<void>;
}
/** Serves `folder` on a free loopback port; `isolated: false` leaves out the COOP/COEP headers. */
export declare function serveStatic(folder: string, options?: { isolated?: boolean }): Promise<StaticServer>;
