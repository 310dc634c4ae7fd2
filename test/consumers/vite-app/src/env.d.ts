/// <reference types="vite/client" />

interface Window {
  /** What the app saw, for the consumer test to read. */
  __consumer?: { react: string; created: string[]; states: string[] };
}
