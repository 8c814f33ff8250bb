import http from 'node:http';

/**
 * GET over real HTTP on loopback, timed to the answer's last byte: what a browser waits for. (app.inject would
 * also time light-my-request decoding every answer into a string, ~45 ms for the 5.7 MB by-customer aging, which
 * no real client pays.) The body stays bytes.
 */
export function getOverHttp(
  origin: string,
  url: string,
  token: string,
): Promise<{ statusCode: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${origin}${url}`,
      { headers: { authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}
