/** Whether the GraphQL endpoint is unreachable right now (drives the "connection lost" banner). */
type Listener = () => void;

class NetworkStatus {
  private offline = false;
  private readonly listeners = new Set<Listener>();

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): boolean => this.offline;

  setOffline(offline: boolean): void {
    if (offline === this.offline) return;
    this.offline = offline;
    for (const listener of this.listeners) listener();
  }
}

export const network = new NetworkStatus();
