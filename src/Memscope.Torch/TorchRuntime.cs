using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Memscope.Core;
using TorchSharp;

namespace Memscope.Torch;

/// <summary>
/// The one place that touches TorchSharp's native backend first: <see cref="EnsureLoaded"/> turns a failure to
/// load libLibTorchSharp.so / LibTorch into a one-line <see cref="UsageException"/> that says what to do, and
/// <see cref="Device"/> maps a device name to a <see cref="torch.Device"/>. See docs/torchsharp.md.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static volatile bool loaded;

    /// <summary>The LibTorch backend this assembly was built against: "cpu" or "cuda" (build property TorchBackend).</summary>
    public static string Backend { get; } =
        typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    /// <summary>
    /// Whether LibTorch's oneMKL was allowed past its vendor check (AMD CPUs with AVX-512; see
    /// <see cref="MklVendorShim"/>): "on", or "off (reason)". Set by <see cref="EnsureLoaded"/>; recorded in run.json
    /// by the training commands because it changes the last bits of float32 products.
    /// </summary>
    public static string MklVendorOverride { get; private set; } = "off (LibTorch not loaded yet)";

    /// <summary>
    /// Loads the native backend by computing a small tensor, once per process. Throws a
    /// <see cref="UsageException"/> with a one-line, actionable message when the native code cannot load or run.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (loaded) return;
        lock (Gate)
        {
            if (loaded) return;
            MklVendorOverride = MklVendorShim.TryLoad();
            float sum;
            try
            {
                using var probe = torch.ones(3, dtype: torch.float32);
                using var total = probe.sum();
                sum = total.item<float>();
            }
            catch (Exception e)
            {
                throw new UsageException(LoadFailureMessage(e));
            }
            if (sum != 3f)
                throw new UsageException($"TorchSharp's native backend loaded but computed sum(ones(3)) = {sum.ToString(CultureInfo.InvariantCulture)}; the LibTorch binaries in {AppContext.BaseDirectory} are broken: rebuild after deleting bin/ and obj/.");
            loaded = true;
        }
    }

    /// <summary>
    /// The device called <paramref name="name"/>: "cpu", "cuda", "cuda:N" or "auto" (CUDA when available, else
    /// CPU); case-insensitive. Loads the backend first. Throws <see cref="UsageException"/> for an unknown name or
    /// a CUDA device that is not available.
    /// </summary>
    public static torch.Device Device(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        if (key is not ("cpu" or "cuda" or "auto") && !key.StartsWith("cuda:", StringComparison.Ordinal))
            throw new UsageException($"device '{name}' is not known: use cpu, cuda, cuda:N or auto.");

        EnsureLoaded();
        if (key == "cpu") return torch.CPU;
        bool cuda = torch.cuda.is_available();
        if (key == "auto") return cuda ? torch.CUDA : torch.CPU;
        if (!cuda)
        {
            var why = Backend == "cuda"
                ? "no CUDA device or driver was found on this machine"
                : "this build uses the CPU LibTorch backend (rebuild with -p:TorchBackend=cuda on a machine with an NVIDIA GPU)";
            throw new UsageException($"device '{name}': CUDA is not available: {why}; use device cpu.");
        }
        if (key == "cuda") return torch.CUDA;

        var count = torch.cuda.device_count();
        if (!int.TryParse(key.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
            throw new UsageException($"device '{name}': this machine has {count} CUDA device(s), numbered 0 to {count - 1}.");
        return torch.device(DeviceType.CUDA, index);
    }

    private static string LoadFailureMessage(Exception e)
    {
        // TorchSharp's own exception hides the dynamic linker's reason (it blames a missing package reference), so
        // the library is opened once more directly to get dlerror's text.
        var torchSharpSays = FirstLine(Chain(e).Last().Message);
        if (!OperatingSystem.IsLinux())
            return $"TorchSharp's native backend could not be loaded ({torchSharpSays}); this project restores LibTorch for linux-x64 only (see docs/torchsharp.md).";

        var dir = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        var native = new[] { Path.Combine(dir, "libLibTorchSharp.so"), Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so") }
            .FirstOrDefault(File.Exists);
        if (native is null)
            return $"libLibTorchSharp.so is missing from {dir}: reference Memscope.Influence (which brings TorchSharp and LibTorch for TorchBackend={Backend}), delete bin/ and obj/ and rebuild; see docs/torchsharp.md.";

        string? linker = null;
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(native));
        }
        catch (Exception x) when (x is DllNotFoundException or BadImageFormatException)
        {
            linker = x.Message;
        }

        var glibcxx = linker is null ? null : Regex.Match(linker, @"version .GLIBCXX_[0-9.]+. not found");
        if (glibcxx is { Success: true })
            return $"{native} does not load: libstdc++ {glibcxx.Value} (the library was built with GCC 13). "
                 + "Rebuild so that build/TorchSharpGlibcxxFix.targets marks that requirement weak (needs python3), "
                 + $"or run 'python3 build/glibcxx_weak.py {native}'; see docs/torchsharp.md.";
        if (linker is not null)
            return $"{native} does not load ({FirstLine(linker)}): check that the LibTorch libraries for TorchBackend={Backend} sit next to it (delete bin/ and obj/ and rebuild); see docs/torchsharp.md.";
        return $"TorchSharp's native backend could not be initialised although {native} loads ({torchSharpSays}); see docs/torchsharp.md.";
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    private static string FirstLine(string s)
    {
        var line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? s;
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
