using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Memscope.Torch;

/// <summary>
/// LibTorch 2.10's oneMKL picks its GEMM kernels after asking <c>mkl_serv_intel_cpu_true()</c>; on AMD CPUs that says
/// 0 and float32 products run the AVX2 path at about half the AVX-512 speed. build/MklVendorShim.targets compiles a
/// one-function library (build/mkl_vendor_shim.c) next to libtorch_cpu.so; loading it RTLD_GLOBAL <em>before</em>
/// LibTorch makes LibTorch's reference to that exported function resolve to the shim, which answers 1. MKL still
/// checks the instruction set itself. Only done on AMD CPUs with AVX-512F, and not when the environment variable
/// <c>MEMSCOPE_MKL_VENDOR_CHECK=keep</c> is set. See docs/torchsharp.md.
/// </summary>
public static class MklVendorShim
{
    public const string FileName = "libmemscope_mkl_shim.so";
    public const string EnvironmentVariable = "MEMSCOPE_MKL_VENDOR_CHECK";

    private const int RtldNow = 0x2, RtldGlobal = 0x100, RtldNoLoad = 0x4;

    [DllImport("libc.so.6", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen(string? file, int mode);

    /// <summary>The CPU vendor string from CPUID leaf 0 ("AuthenticAMD", "GenuineIntel", …), or "" off x86.</summary>
    public static string CpuVendor()
    {
        if (!X86Base.IsSupported) return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), ebx);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), edx);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), ecx);
        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>Loads the shim when it applies; returns "on" or "off (reason)". Never throws.</summary>
    public static string TryLoad()
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !X86Base.X64.IsSupported) return "off (not Linux x64)";
            if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { } v && v.Trim().Equals("keep", StringComparison.OrdinalIgnoreCase))
                return $"off ({EnvironmentVariable}=keep)";
            if (CpuVendor() != "AuthenticAMD") return "off (not an AMD CPU: MKL's own dispatch applies)";
            if (!Avx512F.IsSupported) return "off (no AVX-512: MKL's AVX2 path is already the best)";
            var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
            if (DlOpen(Path.Combine(native, "libtorch_cpu.so"), RtldNow | RtldNoLoad) != IntPtr.Zero)
                return "off (LibTorch was loaded before the shim)";
            var shim = new[] { Path.Combine(native, FileName), Path.Combine(AppContext.BaseDirectory, FileName) }.FirstOrDefault(File.Exists);
            if (shim is null) return $"off ({FileName} was not built: no C compiler at build time)";
            return DlOpen(shim, RtldNow | RtldGlobal) != IntPtr.Zero ? "on" : $"off ({FileName} did not load)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "off (dlopen is not available)";
        }
    }
}
