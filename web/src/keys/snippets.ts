// Ready-to-paste requests that use a key against the tenant's connectivity-check URL.

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface Snippet {
  id: 'curl' | 'javascript' | 'python';
  label: string;
  code: string;
}

export function keySnippets(url: string, secret: string): Snippet[] {
  const json = (text: string) => JSON.stringify(text);
  return [
    { id: 'curl', label: 'curl', code: `curl -H ${shellQuote(`X-API-Key: ${secret}`)} ${shellQuote(url)}` },
    {
      id: 'javascript',
      label: 'JavaScript (fetch)',
      code: [
        `const response = await fetch(${json(url)}, {`,
        `  headers: { 'X-API-Key': ${json(secret)} },`,
        `});`,
        `console.log(response.status, await response.json());`,
      ].join('\n'),
    },
    {
      id: 'python',
      label: 'Python (requests)',
      code: [
        'import requests',
        '',
        'response = requests.get(',
        `    ${json(url)},`,
        `    headers={"X-API-Key": ${json(secret)}},`,
        '    timeout=10,',
        ')',
        'print(response.status_code, response.json())',
      ].join('\n'),
    },
  ];
}

/** The connectivity check of the empty state, with the key in an environment variable rather than on screen. */
export function connectivityCheck(url: string): string {
  return `curl -H "X-API-Key: $LATCHKEY_KEY" ${url}`;
}
