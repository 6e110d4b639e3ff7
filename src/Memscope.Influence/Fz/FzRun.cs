using Memscope.Core;
using Memscope.Influence.Estimators;
using Memscope.Influence.Storage;

namespace Memscope.Influence.Fz;

/// <summary>A finished (or partial) run folder read back: its plan and every stored model's outputs.</summary>
public sealed class FzRun
{
    public FzPlanManifest Plan { get; }
    public ModelOutputs Outputs { get; }
    /// <summary>Per model row: false for models excluded at training time (non-finite loss).</summary>
    public bool[] Included { get; }
    /// <summary>Model index of each row (rows are the finished models in index order).</summary>
    public int[] ModelIndex { get; }
    public IReadOnlyDictionary<int, string> ExcludedReasons { get; }
    public float[] TestMargin { get; }

    private FzRun(FzPlanManifest plan, ModelOutputs outputs, bool[] included, int[] modelIndex, IReadOnlyDictionary<int, string> reasons, float[] testMargin)
    {
        Plan = plan; Outputs = outputs; Included = included; ModelIndex = modelIndex; ExcludedReasons = reasons; TestMargin = testMargin;
    }

    /// <summary>Loads a run folder; unless <paramref name="allowPartial"/>, every planned model must be finished.</summary>
    public static FzRun Load(string dir, bool allowPartial = false)
    {
        var plan = FzPlanManifest.Read(dir);
        var store = new ModelStore(dir);
        var done = store.DoneModels().Where(m => m < plan.Models).ToArray();
        UsageException.Require(done.Length > 0, $"{dir}: no finished models; run `memscope fz train` first");
        UsageException.Require(allowPartial || done.Length == plan.Models,
            $"{dir}: {done.Length} of {plan.Models} models are finished; run the remaining shards (or merge them) first, or pass --allow-partial");
        int n = plan.TrainCount, k = plan.TestCount, t = done.Length;
        var mask = new bool[(long)t * n];
        var trainCorrect = new bool[(long)t * n];
        var testCorrect = new bool[(long)t * k];
        var trainMargin = new float[(long)t * n];
        var testMargin = new float[(long)t * k];
        var included = new bool[t];
        var reasons = new Dictionary<int, string>();
        Parallel.For(0, t, row =>
        {
            var (m, r) = store.Read(done[row], n, k);
            Array.Copy(m, 0, mask, (long)row * n, n);
            if (r.Excluded) { lock (reasons) reasons[done[row]] = r.ExcludedReason!; return; }
            included[row] = true;
            Array.Copy(r.TrainCorrect, 0, trainCorrect, (long)row * n, n);
            Array.Copy(r.TestCorrect, 0, testCorrect, (long)row * k, k);
            Array.Copy(r.TrainMargin, 0, trainMargin, (long)row * n, n);
            Array.Copy(r.TestMargin, 0, testMargin, (long)row * k, k);
        });
        UsageException.Require(included.Any(x => x), $"{dir}: every model was excluded by the numerical guard (non-finite loss or margin; reasons in models/m*/model.json); lower --lr");
        return new FzRun(plan, new ModelOutputs(t, n, k, mask, trainCorrect, testCorrect, trainMargin), included, done, reasons, testMargin);
    }
}
