using System.Runtime.InteropServices;
using TorchSharp;

namespace Memscope.Torch;

/// <summary>
/// LibTorch's intra-op thread count changes how a matrix product splits its sums, and so its last bits. Memscope
/// fixes it at 1 and parallelizes across models instead, so a model's numbers are the same in every grouping.
/// <para>
/// The setting is per thread: ATen's <c>set_num_threads</c> calls OpenMP's <c>omp_set_num_threads</c> and MKL's
/// <c>mkl_set_num_threads_local</c>, which change only the calling thread, and a thread that never calls it keeps
/// OpenMP's default (every core). <see cref="UseOnePerModel"/> must therefore run on the thread that trains, which
/// every learner does at the start of its training call (a thread-static flag makes repeats free).
/// </para>
/// </summary>
public static class TorchThreads
{
    [ThreadStatic] private static bool t_done;

    /// <summary>Loads LibTorch if needed and sets one intra-op thread for the calling thread.</summary>
    public static void UseOnePerModel()
    {
        if (t_done) return;
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        t_done = true;
    }

    /// <summary>
    /// The calling thread's OpenMP and MKL thread counts, read straight from the libraries LibTorch loaded
    /// (<c>omp_get_max_threads</c>, <c>mkl_get_max_threads</c>), without the lazy per-thread initialization that
    /// <c>torch.get_num_threads</c> itself performs; −1 where a symbol is not found (another LibTorch build).
    /// </summary>
    public static (int OpenMp, int Mkl) OnThisThread()
    {
        TorchRuntime.EnsureLoaded();
        var (omp, mkl) = Counters.Value;
        return (omp is null ? -1 : omp(), mkl is null ? -1 : mkl());
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetCount();

    private static readonly Lazy<(GetCount? Omp, GetCount? Mkl)> Counters = new(() =>
    {
        if (!NativeLibrary.TryLoad("torch_cpu", typeof(TorchThreads).Assembly, null, out var lib)) return (null, null);
        GetCount? Find(string name) =>
            NativeLibrary.TryGetExport(lib, name, out var fn) ? Marshal.GetDelegateForFunctionPointer<GetCount>(fn) : null;
        return (Find("omp_get_max_threads"), Find("mkl_get_max_threads"));
    });
}
