using TorchSharp;

namespace Memscope.Torch;

/// <summary>
/// LibTorch's intra-op thread count changes how a matrix product splits its sums, and so its last bits. Memscope
/// fixes it at 1 and parallelizes across models instead, so a model's numbers are the same in every grouping.
/// </summary>
public static class TorchThreads
{
    private static readonly object Gate = new();
    private static bool done;

    public static void UseOnePerModel()
    {
        lock (Gate)
        {
            if (done) return;
            TorchRuntime.EnsureLoaded();
            torch.set_num_threads(1);
            done = true;
        }
    }
}
