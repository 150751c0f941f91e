/**
 * Niayifar & Porté-Agel Gaussian wake: Bastankhah's model (bastankhahGaussian.ts) with the
 * wake expansion tied to turbulence intensity.
 *
 * Reference: A. Niayifar, F. Porté-Agel, "Analytical modeling of wind farms: a new approach
 * for power prediction", Energies 9 (2016) 741, eq. (15): k* = 0.3837·TI + 0.003678, which
 * PyWake rounds to k = a₀·TI + a₁ with a = [0.38, 0.004]. Without a turbulence model (wflo has
 * none yet) TI is the site's ambient TI, so k is one number per site.
 */
export interface NiayifarGaussian {
  readonly kind: "NiayifarGaussian";
  /** k = a[0]·TI + a[1]. */
  readonly a: readonly [number, number];
  readonly ceps: number;
  readonly ctlim: number;
}

export function niayifarGaussian(opts: { a?: readonly [number, number]; ceps?: number; ctlim?: number } = {}): NiayifarGaussian {
  return { kind: "NiayifarGaussian", a: opts.a ?? [0.38, 0.004], ceps: opts.ceps ?? 0.2, ctlim: opts.ctlim ?? 0.899 };
}

/** Wake expansion for ambient turbulence intensity `ti`. */
export function niayifarK(m: NiayifarGaussian, ti: number): number {
  return m.a[0] * ti + m.a[1];
}
