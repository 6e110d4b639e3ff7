using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Torch;

/// <summary>
/// The memory of a contiguous float32 CPU tensor as a span, for element-wise loops that would otherwise be a chain of
/// small tensor operations (each one a native call and an allocation). The span is valid while the tensor lives and is
/// not resized; it starts at the tensor's first element (storage offset included).
/// </summary>
public static class TensorMemory
{
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);

    public static unsafe Span<float> Float32(Tensor t)
    {
        if (t.dtype != ScalarType.Float32 || t.device_type != DeviceType.CPU || !t.is_contiguous())
            throw new ArgumentException($"needs a contiguous float32 CPU tensor, got {t.dtype} on {t.device_type}{(t.is_contiguous() ? "" : ", not contiguous")}");
        long n = t.numel();
        if (n > int.MaxValue) throw new ArgumentException($"tensor of {n} elements is too large for a span");
        return new Span<float>((void*)THSTensor_data(t.Handle), (int)n);
    }

    /// <summary>The address of the first element (CPU tensors of any dtype; no checks beyond the device).</summary>
    public static IntPtr Address(Tensor t) =>
        t.device_type == DeviceType.CPU ? THSTensor_data(t.Handle) : throw new ArgumentException("needs a CPU tensor");

    /// <summary>
    /// A tensor holding a copy of <paramref name="data"/> in memory LibTorch allocated itself (64-byte aligned). A tensor
    /// made straight from a managed array may start at any 16-byte boundary, and MKL's kernels may sum in a different
    /// order at a different alignment, so the same data could give different last bits from run to run.
    /// </summary>
    public static Tensor Copy(float[] data, long[] shape, Device? device = null)
    {
        using var view = tensor(data, shape);
        return device is null || device.type == DeviceType.CPU ? view.clone() : view.to(device);
    }
}
