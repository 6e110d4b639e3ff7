namespace Memscope.Theory.Bounds;

/// <summary>
/// The constants of FKL Thm 7: (θ, X_{1:n}) satisfy a (τ_n, ε_n)-SDPI (data generation) and (X, X_{1:n}) a
/// (ρ_n, δ_n)-SDPI (test/train). ε = δ = 0 means exact SDPIs.
/// </summary>
/// <param name="Rho">ρ_n, the test/train SDPI constant.</param>
/// <param name="Tau">τ_n, the data-generation SDPI constant (NaN when the bound does not use it).</param>
/// <param name="Epsilon">ε_n, TV slack of the data-generation SDPI.</param>
/// <param name="Delta">δ_n, TV slack of the test/train SDPI.</param>
public sealed record SdpiConstants(double Rho, double Tau, double Epsilon, double Delta)
{
    /// <summary>ξ of the Boolean (Lemma 21) or sparse (App. F.2) construction, when there is one.</summary>
    public double? Xi { get; init; }
}

/// <summary>Options of the approximate-SDPI bounds.</summary>
public sealed record BoundOptions
{
    /// <summary>
    /// log2 |ℳ|: bits needed to name the learner's output. Default (null): 64·d, a model that stores d doubles.
    /// Only approximate SDPIs (Boolean clustering) depend on it.
    /// </summary>
    public double? Log2ModelSize { get; init; }
}

/// <summary>
/// A lower bound on excess memorization mem_n = I(A(X_{1:n}); X_{1:n} | θ), in bits.
/// <see cref="LowerBoundBits"/> is never negative: a vacuous bound (raw value ≤ 0, or hypotheses that fail) is
/// reported as 0 with <see cref="Vacuous"/> set and the reason in <see cref="Note"/>.
/// </summary>
public sealed record MemorizationBound
{
    public required double Rho { get; init; }
    public required double Tau { get; init; }
    public required double CAlphaBits { get; init; }
    /// <summary>The bound's value before clipping at 0 (may be negative or −∞).</summary>
    public required double RawBits { get; init; }
    /// <summary>The neg_n term subtracted in Thm 7 (0 for exact SDPIs).</summary>
    public double NegBits { get; init; }
    public required string Method { get; init; }
    public string? Note { get; init; }
    /// <summary>A rate expression with its constants dropped (Boolean: (1−λ²n)/(λ⁴n)·C_α). Not a bound.</summary>
    public double? RateBits { get; init; }
    public SdpiConstants? Constants { get; init; }

    public bool Vacuous => !(RawBits > 0);
    public double LowerBoundBits => Vacuous ? 0 : RawBits;
}
