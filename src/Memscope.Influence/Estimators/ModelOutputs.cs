using Memscope.Core;

namespace Memscope.Influence.Estimators;

/// <summary>
/// What T models trained on random subsets of n training examples produced (FZ Algorithm 1, step 3; LiRA §IV's shadow
/// models are the same object). Every array is row-major with one row per model: entry [m, i] of a training array is
/// at <c>m·TrainCount + i</c>, entry [m, j] of <see cref="TestCorrect"/> at <c>m·TestCount + j</c>. A plain data
/// holder: the constructor checks shapes only, and the arrays are used as given (not copied).
/// </summary>
public sealed class ModelOutputs
{
    /// <summary>Wraps the arrays; each must have Models·TrainCount (or Models·TestCount) entries, or be null.</summary>
    public ModelOutputs(int models, int trainCount, int testCount, bool[] mask,
        bool[]? trainCorrect = null, bool[]? testCorrect = null, float[]? trainMargin = null)
    {
        UsageException.Require(models >= 1, $"model outputs need at least one model, got {models}");
        UsageException.Require(trainCount >= 1, $"model outputs need at least one training example, got {trainCount}");
        UsageException.Require(testCount >= 0, $"test example count must be ≥ 0, got {testCount}");
        UsageException.Require((long)models * trainCount <= Array.MaxLength,
            $"{models} models × {trainCount} training examples do not fit in one array; split the training set");
        UsageException.Require((long)models * testCount <= Array.MaxLength,
            $"{models} models × {testCount} test examples do not fit in one array; split the test set");
        ArgumentNullException.ThrowIfNull(mask);
        long nTrain = (long)models * trainCount, nTest = (long)models * testCount;
        CheckLength("mask", mask.Length, nTrain, models, trainCount, "training");
        if (trainCorrect is not null) CheckLength("train correctness", trainCorrect.Length, nTrain, models, trainCount, "training");
        if (testCorrect is not null) CheckLength("test correctness", testCorrect.Length, nTest, models, testCount, "test");
        if (trainMargin is not null) CheckLength("train margins", trainMargin.Length, nTrain, models, trainCount, "training");
        Models = models;
        TrainCount = trainCount;
        TestCount = testCount;
        Mask = mask;
        TrainCorrect = trainCorrect;
        TestCorrect = testCorrect;
        TrainMargin = trainMargin;
    }

    /// <summary>T, the number of models (rows).</summary>
    public int Models { get; }

    /// <summary>n, the number of training examples.</summary>
    public int TrainCount { get; }

    /// <summary>k, the number of test examples (0 when there is no test correctness).</summary>
    public int TestCount { get; }

    /// <summary>mask[m, i]: training example i was IN model m's training subset (FZ's 1[i ∈ I_m]).</summary>
    public bool[] Mask { get; }

    /// <summary>trainCorrect[m, i]: model m predicts training example i's label, for IN and OUT examples alike.</summary>
    public bool[]? TrainCorrect { get; }

    /// <summary>testCorrect[m, j]: model m predicts test example j's label.</summary>
    public bool[]? TestCorrect { get; }

    /// <summary>trainMargin[m, i]: LiRA's statistic φ = z_y − logsumexp_{c≠y} z_c of model m on training example i.</summary>
    public float[]? TrainMargin { get; }

    private static void CheckLength(string what, int actual, long expected, int models, int count, string kind) =>
        UsageException.Require(actual == expected,
            $"{what} has {actual} entries but {models} models × {count} {kind} examples need {expected}");
}
