import QRCode from 'qrcode';

/**
 * What the MFA setup page shows for TOTP: the otpauth URI named for the pool (issue 3, decision 5:
 * `otpauth://totp/<pool name>:<username>?secret=…&issuer=<pool name>`) and its QR code as an inline SVG
 * data URL — drawn on the server, no external resource, allowed by the CSP's `img-src data:`.
 */
export function otpauthUri(poolName: string, username: string, secret: string): string {
  const label = `${encodeURIComponent(poolName)}:${encodeURIComponent(username)}`;
  const q = new URLSearchParams({ secret, issuer: poolName, algorithm: 'SHA1', digits: '6', period: '30' });
  return `otpauth://totp/${label}?${q.toString().replace(/\+/g, '%20')}`;
}

export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
