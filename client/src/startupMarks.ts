// When the extension's start-up steps happened (performance.now() of the
// extension host), for the real-VS-Code suite to print where a cold start's
// time went. Set once each; nothing reads them but tests.

export interface StartupMarks {
  /** The gate decided a document of ours needs the language client. */
  wokeAt?: number;
  /** dist/lintClient.js is loaded and activated. */
  clientLoadedAt?: number;
  /** The first language server is being started. */
  serverStartingAt?: number;
  /** Its initialize handshake is done (the client is running). */
  serverReadyAt?: number;
}
