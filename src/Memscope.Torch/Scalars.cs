using TorchSharp;

namespace Memscope.Torch;

/// <summary>
/// Long-lived TorchSharp <see cref="Scalar"/>s for hot loops. A number passed where TorchSharp expects a Scalar (the
/// alpha of <c>a + b</c>, the beta/alpha of <c>addmm</c>, <c>div_(n)</c>) becomes a temporary Scalar that nobody
/// disposes; the garbage collector can finalize it while the native call still reads it, which LibTorch reports as
/// an intermittent c10 assertion (<c>Scalar.h:140 toFloat</c>, <c>Unknown scalar type</c>) minutes into a run. These
/// are rooted in static fields for the life of the process. Use them, or <c>using var s = x.ToScalar()</c> for values
/// that change, in every loop that runs many times.
/// </summary>
public static class Scalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
    public static readonly Scalar PositiveInfinity = double.PositiveInfinity.ToScalar();
}
