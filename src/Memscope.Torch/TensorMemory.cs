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
}
