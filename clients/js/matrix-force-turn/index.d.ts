export declare const WELL_KNOWN_KEY: "im.vector.riot.forceTurn";
export declare const TURN_SERVER_KEY: "dev.tern.force_relay";

export interface HonourForceTurnOptions {
  wellKnown?: Record<string, unknown>;
  wellKnownUrl?: string;
  fetch?: typeof fetch;
}

export interface ForceTurnResult {
  /** Whether forceTURN is now on because the server asked for it. */
  forced: boolean;
  /** The MSC4096 well-known flag; null when it could not be read or is absent. */
  wellKnown: boolean | null;
  /** The per-user flag of the turnServer answer; null when it could not be read or is absent. */
  perUser: boolean | null;
  /** Why a flag could not be read. */
  problems: string[];
}

export declare function honourForceTurn(client: {
  setForceTURN?(force: boolean): void;
  forceTURN?: boolean;
  turnServer(): Promise<Record<string, unknown>>;
  getClientWellKnown?(): Record<string, unknown> | undefined;
  getDomain?(): string | null;
}, options?: HonourForceTurnOptions): Promise<ForceTurnResult>;

export declare function forceTurnIn(wellKnown: Record<string, unknown> | null | undefined): boolean | null;
