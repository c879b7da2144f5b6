// Which environment a request is served in: by its Host (LATCHKEY_ENVIRONMENT_HOSTS), else the node's own.
import type { Environment } from '../core/environments.js';

export class EnvironmentResolver {
  constructor(private readonly fallback: Environment, private readonly byHost: ReadonlyMap<string, Environment>) {}

  /** `host` as sent, port ignored (IPv6 literals in brackets keep their colons), and a fully qualified name's last dot too. */
  resolve(host: string | undefined): Environment {
    if (host === undefined || this.byHost.size === 0) return this.fallback;
    const bare = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
    const name = bare.endsWith('.') ? bare.slice(0, -1) : bare;
    return this.byHost.get(name.toLowerCase()) ?? this.fallback;
  }
}
