/**
 * Axial induction a from the thrust coefficient Ct.
 *
 * `ct2aMadsen`: the polynomial fit of Madsen et al. (2020), "Implementation of the blade
 * element momentum model on a polar grid and its aeroelastic load impact", Wind Energ. Sci. 5,
 * eq. (12) — PyWake's `ct2a_madsen`, the default induction of its NOJ and Bastankhah models:
 * a = Ct·(0.2460 + Ct·(0.0586 + 0.0883·Ct)).
 */
export function ct2aMadsen(ct: number): number {
  return ct * (0.246 + ct * (0.0586 + 0.0883 * ct));
}

/** d a / d Ct of `ct2aMadsen`. */
export function dCt2aMadsen(ct: number): number {
  return 0.246 + ct * (2 * 0.0586 + 3 * 0.0883 * ct);
}

/** 1D momentum theory: a = ½(1 − √(1 − min(1, Ct))). */
export function ct2aMomentum(ct: number): number {
  return 0.5 * (1 - Math.sqrt(1 - Math.min(1, ct)));
}
