/** Where the X-Ray daemon listens: UDP for segment documents, TCP for the sampling proxy. */
export interface DaemonAddress {
  udp: { host: string; port: number };
  tcp: { host: string; port: number };
}

export const DEFAULT_DAEMON_ADDRESS = '127.0.0.1:2000';

function hostPort(text: string): { host: string; port: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const host = text.slice(0, colon).trim();
  const portText = text.slice(colon + 1).trim();
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (host === '' || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/**
 * Parses `AWS_XRAY_DAEMON_ADDRESS` the way the SDKs accept it: `host:port` (both protocols) or
 * `tcp:host:port udp:host:port` in either order. `undefined` when the text is none of those.
 */
export function parseDaemonAddress(text: string): DaemonAddress | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length === 1) {
    const hp = hostPort(parts[0]!);
    if (!hp || /^(udp|tcp)$/i.test(hp.host.split(':')[0]!)) return undefined;
    return { udp: hp, tcp: { ...hp } };
  }
  if (parts.length !== 2) return undefined;
  let udp: { host: string; port: number } | undefined;
  let tcp: { host: string; port: number } | undefined;
  for (const part of parts) {
    const m = /^(udp|tcp):(.+)$/i.exec(part);
    if (!m) return undefined;
    const hp = hostPort(m[2]!);
    if (!hp) return undefined;
    if (m[1]!.toLowerCase() === 'udp') udp = hp;
    else tcp = hp;
  }
  return udp && tcp ? { udp, tcp } : undefined;
}

export function formatDaemonAddress(address: DaemonAddress): string {
  const same = address.udp.host === address.tcp.host && address.udp.port === address.tcp.port;
  return same
    ? `${address.udp.host}:${address.udp.port}`
    : `udp:${address.udp.host}:${address.udp.port} tcp:${address.tcp.host}:${address.tcp.port}`;
}
