/** Now in seconds since the epoch: the unit of every JWT time claim (iat, nbf, exp). */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
