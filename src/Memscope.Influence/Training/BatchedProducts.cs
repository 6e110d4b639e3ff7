using System.Reflection;
using System.Runtime.InteropServices;
using Memscope.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Influence.Training;

/// <summary>
/// In-place batched products R_g ← β·R_g + A_g·B_g for g = 1..G in one native call, computed slice by slice with
/// exactly the operation a single model uses (<c>addmm_</c> on the 2-D slice), so each slice's bits do not depend on G.
/// <para>
/// Why not plain <c>torch.bmm</c>: LibTorch's CPU bmm/baddbmm (ATen <c>bmm_out_or_baddbmm_</c>) picks one of three
/// kernels per call: a naive loop when m·k·n &lt; 400, MKL's batched gemm when the result is contiguous, and otherwise
/// one <c>addmm_</c> per slice. Measured on this project's CPU (1 intra-op thread, oneMKL with the vendor shim): MKL's
/// batched gemm gave the same bits as <c>mm</c> for 2–128 rows but different bits for a batch of one row (all slices,
/// every G ≥ 2, and G = 1 differs again), and the naive loop differs from <c>mm</c> for small products. This class
/// therefore calls ATen's in-place <c>baddbmm_</c> only on a non-contiguous result (slices padded apart) with
/// m·k·n ≥ 400, which takes the per-slice <c>addmm_</c> branch, and refuses anything else. TorchSharp has no
/// in-place or out= bmm, so the call goes to LibTorch's C++ operator entry point <c>at::_ops::baddbmm_::call</c>
/// (Itanium-mangled, Linux x64); <see cref="Available"/> is false when it cannot be found or when
/// <see cref="SelfCheck"/> finds a slice that differs from <c>addmm_</c>, and callers then use per-model products.
/// </para>
/// </summary>
public static class BatchedProducts
{
    private const string Entry = "_ZN2at4_ops8baddbmm_4callERNS_6TensorERKS2_S5_RKN3c106ScalarES9_";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr BaddbmmInPlace(IntPtr self, IntPtr batch1, IntPtr batch2, IntPtr beta, IntPtr alpha);

    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTorch_float32_to_scalar(float value);

    /// <summary>Smallest m·k·n for which ATen uses the per-slice branch instead of its naive loop.</summary>
    public const long MinProduct = 400;

    private static readonly Lazy<(BaddbmmInPlace? Call, IntPtr Zero, IntPtr One, string Why)> Native = new(Load);

    private static (BaddbmmInPlace?, IntPtr, IntPtr, string) Load()
    {
        TorchRuntime.EnsureLoaded();
        if (!NativeLibrary.TryLoad("torch_cpu", typeof(BatchedProducts).Assembly, null, out var lib))
            return (null, 0, 0, "libtorch_cpu not found");
        if (!NativeLibrary.TryGetExport(lib, Entry, out var fn)) return (null, 0, 0, "at::_ops::baddbmm_::call not exported by this LibTorch");
        // scalars for β and α, made like TorchSharp's own (c10::Scalar from a float), kept for the process
        return (Marshal.GetDelegateForFunctionPointer<BaddbmmInPlace>(fn), THSTorch_float32_to_scalar(0f), THSTorch_float32_to_scalar(1f), "");
    }

    /// <summary>Whether the batched call is usable here (entry point found; <see cref="SelfCheck"/> is separate).</summary>
    public static bool Available => Native.Value.Call is not null;

    /// <summary>Why <see cref="Available"/> is false ("" when it is true).</summary>
    public static string Unavailable => Native.Value.Why;

    /// <summary>
    /// R ← β·R + A·B slice by slice (β = 0 or 1, α = 1), as <c>R[g].addmm_(A[g], B[g], β, 1)</c> would. R: [G × m × n],
    /// not contiguous (so G ≥ 2); A: [G × m × k]; B: [G × k × n]; all float32 on the CPU, m·k·n ≥ <see cref="MinProduct"/>.
    /// </summary>
    public static void AddInPlace(Tensor result, Tensor a, Tensor b, bool keepResult)
    {
        var native = Native.Value;
        if (native.Call is null) throw new InvalidOperationException($"batched products unavailable: {native.Why}");
        if (result.dim() != 3 || a.dim() != 3 || b.dim() != 3) throw new ArgumentException("batched products need 3-D tensors");
        long g = result.shape[0], m = result.shape[1], n = result.shape[2], k = a.shape[2];
        if (a.shape[0] != g || b.shape[0] != g || a.shape[1] != m || b.shape[1] != k || b.shape[2] != n)
            throw new ArgumentException($"batched product shapes do not match: [{string.Join(",", result.shape)}] ← [{string.Join(",", a.shape)}]·[{string.Join(",", b.shape)}]");
        foreach (var t in new[] { result, a, b })
            if (t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU) throw new ArgumentException("batched products need float32 CPU tensors");
        if (result.is_contiguous()) throw new ArgumentException("the result must not be contiguous (pad its slices apart): a contiguous result takes MKL's batched gemm");
        if (m * k * n < MinProduct) throw new ArgumentException($"m·k·n = {m * k * n} < {MinProduct} takes ATen's naive loop");
        native.Call(result.Handle, a.Handle, b.Handle, keepResult ? native.One : native.Zero, native.One);
    }

    /// <summary>
    /// Checks on random data, at the given product shape, that every slice of <see cref="AddInPlace"/> equals the
    /// single-model <c>addmm</c> bit for bit, for β = 1 (forward, onto a bias) and β = 0 (weight gradient).
    /// </summary>
    public static bool SelfCheck(int m, int k, int n)
    {
        if (!Available || (long)m * k * n < MinProduct) return false;
        TorchThreads.UseOnePerModel();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var gen = new Generator(12345);
        const int G = 3;
        long pad = ((long)m * n + 16) / 16 * 16;
        var a = randn([G, m, k], generator: gen);
        var bt = randn([G, n, k], generator: gen);
        var bias = randn([G, m, 1], generator: gen);
        var rBuf = empty(G, pad);
        var r = rBuf.as_strided([G, m, n], [pad, n, 1]);
        r.copy_(bias.expand(G, m, n));
        AddInPlace(r, a, bt.transpose(1, 2), keepResult: true);
        var d = randn([G, m, n], generator: gen);
        var x = randn([G, n, k], generator: gen);
        var dBuf = empty(G, ((long)m * k + 16) / 16 * 16);
        var dw = dBuf.as_strided([G, m, k], [dBuf.shape[1], k, 1]);
        AddInPlace(dw, d, x, keepResult: false);
        for (int s = 0; s < G; s++)
        {
            var expected = addmm(bias[s], a[s], bt[s].t(), 1, 1);
            var expectedDw = zeros(m, k).addmm_(d[s], x[s], beta: 0, alpha: 1);
            if (!SameBits(r[s], expected) || !SameBits(dw[s], expectedDw)) return false;
        }
        return true;
    }

    private static bool SameBits(Tensor a, Tensor b)
    {
        var x = a.contiguous().data<float>().ToArray();
        var y = b.contiguous().data<float>().ToArray();
        return x.Length == y.Length &&
            Enumerable.Range(0, x.Length).All(i => BitConverter.SingleToInt32Bits(x[i]) == BitConverter.SingleToInt32Bits(y[i]));
    }
}
